import { describe, expect, it } from '@jest/globals';
import { r2 } from './goodness-of-fit.js';

describe('r2', () => {
  it('is 1 - SSres/SStot of a known fit', () => {
    // residuals 0.1, 0.1, 0.2, 0.2: SSres 0.1; mean 2.5, SStot 5
    expect(r2([1, 2, 3, 4], [1.1, 1.9, 3.2, 3.8])).toBeCloseTo(0.98, 12);
  });

  it('is 0 for the mean of the actual values and negative for worse', () => {
    expect(r2([1, 2, 3, 4], [2.5, 2.5, 2.5, 2.5])).toBe(0);
    expect(r2([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-3); // SSres 20 over SStot 5
  });

  it('is 1 for a perfect fit of constant values and 0 for any miss, as scikit-learn', () => {
    expect(r2([3, 3], [3, 3])).toBe(1);
    expect(r2([3, 3], [3, 4])).toBe(0);
  });
});
