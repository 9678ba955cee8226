import { describe, expect, it } from '@jest/globals';
import { LOG_LOSS_EPSILON, logLoss, rocAuc } from './probability-scores.js';

/** AUC by its definition: over every (positive, negative) pair, 1 when the positive scores higher, 1/2 on a tie. */
function pairwiseAuc(positive: boolean[], scores: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++)
    for (let j = 0; j < scores.length; j++) {
      if (!positive[i] || positive[j]) continue;
      pairs++;
      sum += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  return sum / pairs;
}

describe('rocAuc', () => {
  it('is the share of (positive, negative) pairs ranked right', () => {
    // scikit-learn's roc_auc_score example: 0.75
    expect(rocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(rocAuc([false, false, true, true], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([true, true, false, false], [0.1, 0.2, 0.3, 0.4])).toBe(0);
  });

  it('counts a tie between a positive and a negative as half a pair', () => {
    // pairs: (0.5, 0.5) half, (0.5, 0.2), (0.9, 0.5), (0.9, 0.2) right: 3.5 of 4
    expect(rocAuc([false, true, false, true], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    expect(rocAuc([true, false, true, false, true], [0.3, 0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it('agrees with the pairwise definition on scores with many ties', () => {
    let state = 7;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 200 }, () => Math.round(next() * 10) / 10); // 11 values: many ties
    const positive = scores.map((s) => next() < 0.2 + 0.6 * s);
    expect(rocAuc(positive, scores)).toBeCloseTo(pairwiseAuc(positive, scores), 12);
  });

  it('is NaN when one class is absent', () => {
    expect(rocAuc([true, true], [0.2, 0.4])).toBeNaN();
  });
});

describe('logLoss', () => {
  it('is the mean negative log probability of the true class', () => {
    const loss = logLoss(
      [0, 1, 2],
      [
        [0.8, 0.1, 0.1],
        [0.3, 0.7, 0],
        [0.25, 0.25, 0.5],
      ],
    );
    expect(loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.5)) / 3, 12);
  });

  it('clips a probability of 0 for the true class to 1e-15: finite, about 34.5', () => {
    expect(logLoss([0], [[0, 1]])).toBeCloseTo(-Math.log(LOG_LOSS_EPSILON), 9);
    expect(logLoss([0], [[0, 1]])).toBeCloseTo(34.5388, 3);
    const certain = logLoss([1], [[0, 1]]);
    expect(certain).toBeGreaterThan(0);
    expect(certain).toBeLessThan(1e-14);
  });
});
