import { describe, expect, it } from '@jest/globals';
import { IMAGES } from '@stagegraph/contracts';
import { LAYERS_MODEL } from './model-contract.js';
import * as tf from './tf.js';

describe('model contract', () => {
  it('accepts a layers model and names anything else', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const column = tf.zeros([3, 1]);
    expect(LAYERS_MODEL.check!(model)).toBeUndefined();
    expect(LAYERS_MODEL.check!(column)).toBe('expected a tfjs layers model, got object');
    model.dispose();
    column.dispose();
  });

  it('a real tfjs tensor passes the structural tensor contracts of the engine', () => {
    const images = tf.zeros([2, 28, 28, 1]);
    expect(IMAGES.check!(images)).toBeUndefined();
    images.dispose();
  });
});
