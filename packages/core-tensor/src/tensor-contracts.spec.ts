import { describe, expect, it } from '@jest/globals';
import { IMAGES, LAYERS_MODEL, TARGETS } from './tensor-contracts.js';
import * as tf from './tf.js';

describe('tensor contracts', () => {
  it('accept a tensor of their rank and dtype, and name what came otherwise', () => {
    const images = tf.zeros([2, 28, 28, 1]);
    const column = tf.zeros([3, 1]);
    const ints = tf.zeros([3, 1], 'int32');
    expect(IMAGES.check!(images)).toBeUndefined();
    expect(TARGETS.check!(column)).toBeUndefined();
    expect(IMAGES.check!(column)).toBe('expected a float32 tensor of rank 4, got a float32 tensor of shape [3, 1]');
    expect(TARGETS.check!(ints)).toBe('expected a float32 tensor of rank 2, got a int32 tensor of shape [3, 1]');
    expect(TARGETS.check!([1, 2])).toBe('expected a float32 tensor of rank 2, got object');
    expect(LAYERS_MODEL.check!(column)).toBe('expected a tfjs layers model, got object');
    tf.dispose([images, column, ints]);
  });
});
