import { describe, expect, it } from '@jest/globals';
import { argmaxRows, IMAGES, isTensorLike, TARGETS } from './tensors.js';

// tfjs's Tensor as the contracts read it: this package has no tfjs, and the check is structural.
const tensor = (shape: number[], dtype = 'float32') => ({
  shape,
  rank: shape.length,
  dtype,
  data: async () => new Float32Array(),
  dataSync: () => new Float32Array(),
});

describe('tensor contracts', () => {
  it('accept a tensor of their rank and dtype, and name what came otherwise', () => {
    expect(IMAGES.check!(tensor([2, 28, 28, 1]))).toBeUndefined();
    expect(TARGETS.check!(tensor([3, 1]))).toBeUndefined();
    expect(IMAGES.check!(tensor([3, 1]))).toBe(
      'expected a float32 tensor of rank 4, got a float32 tensor of shape [3, 1]',
    );
    expect(TARGETS.check!(tensor([3, 1], 'int32'))).toBe(
      'expected a float32 tensor of rank 2, got a int32 tensor of shape [3, 1]',
    );
    expect(TARGETS.check!([1, 2])).toBe('expected a float32 tensor of rank 2, got an array');
    expect(TARGETS.check!({ shape: [3, 1] })).toBe('expected a float32 tensor of rank 2, got an object with shape');
    expect(isTensorLike(null)).toBe(false);
  });

  it('argmaxRows gives the class of each row, the first on ties', () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.4, 0.1, 0.3, 0.3, 0.3], 3))).toEqual([1, 0, 0]);
  });
});
