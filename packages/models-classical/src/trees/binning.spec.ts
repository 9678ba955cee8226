import { describe, expect, it } from '@jest/globals';
import { binFeatures, binOf, featureEdges, fitBinEdges, MISSING_BIN } from './binning.js';

describe('feature binning', () => {
  it('gives each distinct value its own bin, cut at the midpoints, when they are few', () => {
    const edges = featureEdges(Float64Array.of(1, 1, 2, 4, 4, 4), 255);
    expect(Array.from(edges)).toEqual([1.5, 3]);
    expect([1, 1.5, 1.6, 2, 3, 3.1, 4, 100].map((v) => binOf(edges, v))).toEqual([0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('cuts many values at quantiles into at most maxBins bins of about equal size', () => {
    const x = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000); // 0..9999 shuffled
    const { bins, edges } = binFeatures(x, 10_000, 1, 100);
    expect(edges[0].length).toBe(99);
    const counts = new Map<number, number>();
    for (const b of bins) counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(counts.size).toBe(100);
    for (const c of counts.values()) expect(c).toBe(100);
  });

  it('puts NaN in a bin of its own and learns edges from the other values only', () => {
    const x = Float64Array.of(NaN, 0, NaN, 1);
    const { bins, edges } = binFeatures(x, 4, 1);
    expect(Array.from(edges[0])).toEqual([0.5]);
    expect(Array.from(bins)).toEqual([MISSING_BIN, 0, MISSING_BIN, 1]);
  });

  it('keeps each feature column contiguous (feature-major) from row-major input', () => {
    // 3 rows x 2 features: feature 0 ascending, feature 1 descending
    const x = Float32Array.of(0, 9, 1, 8, 2, 7);
    const { bins } = binFeatures(x, 3, 2);
    expect(Array.from(bins)).toEqual([0, 1, 2, 2, 1, 0]);
  });

  it('gives a constant feature one bin (no edges) and refuses maxBins outside 2..255', () => {
    expect(fitBinEdges(Float64Array.of(3, 3, 3), 3, 1)[0].length).toBe(0);
    expect(() => fitBinEdges(Float64Array.of(1), 1, 1, 256)).toThrow('maxBins: expected 2..255, got 256');
  });
});
