import { describe, expect, it } from '@jest/globals';
import { fitGradientBoosting, predictGradientBoosting } from './gradient-boosting.js';
import { accuracy, rSquared, smoothRule, table, threeClassRule, xorRule } from './test-support/synthetic.js';

const classification = (rows: number, cols: number, seed: number, rule = xorRule) => {
  const t = table(rows, cols, seed, rule);
  return { ...t, y: Int32Array.from(t.y), task: 'classification' as const };
};

describe('fitGradientBoosting / predictGradientBoosting', () => {
  it('binary log loss: learns an XOR among noise features (held-out accuracy above 0.95)', () => {
    const train = classification(2000, 8, 1);
    const test = classification(1000, 8, 2);
    const model = fitGradientBoosting(train, { rounds: 60, seed: 1 });
    expect(model.objective).toBe('logistic');
    expect(model.trees).toHaveLength(60);
    const p = predictGradientBoosting(model, test.x, test.rows, test.cols);
    expect(p).toHaveLength(2000);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(accuracy(p, test.y, 2)).toBeGreaterThan(0.95);
  });

  it('softmax: one tree per class a round, three classes separated', () => {
    const train = classification(1500, 5, 3, threeClassRule);
    const test = classification(500, 5, 4, threeClassRule);
    const model = fitGradientBoosting(train, { rounds: 40, seed: 1 });
    expect(model.objective).toBe('softmax');
    expect(model.trees).toHaveLength(120);
    expect(accuracy(predictGradientBoosting(model, test.x, test.rows, test.cols), test.y, 3)).toBeGreaterThan(0.95);
  });

  it('squared error: fits a smooth function (held-out R^2 above 0.95)', () => {
    const train = { ...table(3000, 6, 5, smoothRule), task: 'regression' as const };
    const test = table(1000, 6, 6, smoothRule);
    const model = fitGradientBoosting(train, { rounds: 200, seed: 1 });
    expect(rSquared(predictGradientBoosting(model, test.x, test.rows, test.cols), test.y)).toBeGreaterThan(0.95);
  });

  it('one round of depth 1 on one feature is the best single split', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    const y = Float64Array.of(0, 0, 0, 10, 10, 10);
    const model = fitGradientBoosting(
      { x, rows: 6, cols: 1, y, task: 'regression' },
      { rounds: 1, maxDepth: 1, minSamplesLeaf: 1, l2: 0, learningRate: 1 },
    );
    expect(model.base).toEqual([5]);
    expect(Array.from(predictGradientBoosting(model, Float64Array.of(3, 3.6, 4), 3, 1))).toEqual([0, 10, 10]);
  });

  it('stops early on a validation split when the loss stops improving, keeping the best rounds', () => {
    // labels are noise: the validation loss is best after few rounds
    const train = classification(1000, 5, 7, () => 0);
    const random = table(1000, 1, 8, (row) => Number(row[0] > 0.5));
    train.y = Int32Array.from(random.y);
    const model = fitGradientBoosting(train, { rounds: 200, validationFraction: 0.2, patience: 5, seed: 1 });
    const losses = model.options.validationLoss as number[];
    expect(losses.length).toBeLessThan(200);
    const bestRounds = losses.indexOf(Math.min(...losses)) + 1;
    expect(model.trees).toHaveLength(bestRounds);
    expect(losses.length).toBe(bestRounds + 5);
  });

  it('learns where missing values go, and repeats itself with a seed', () => {
    const train = classification(2000, 3, 9, (row) => Number(row[0] > 0.5));
    for (let r = 0; r < train.rows; r += 4) {
      train.x[r * 3] = NaN;
      train.y[r] = 1;
    }
    const options = { rounds: 20, subsample: 0.8, maxFeatures: 2, seed: 4 };
    const model = fitGradientBoosting(train, options);
    expect(JSON.stringify(fitGradientBoosting(train, options))).toBe(JSON.stringify(model));
    const p = predictGradientBoosting(model, Float64Array.of(NaN, 0.5, 0.5, 0.1, 0.5, 0.5), 2, 3);
    expect(p[1]).toBeGreaterThan(0.9);
    expect(p[2]).toBeGreaterThan(0.9);
  });

  it('refuses bad options in one line', () => {
    const train = classification(50, 2, 10);
    expect(() => fitGradientBoosting(train, { learningRate: 0 })).toThrow(
      'gradient boosting.learningRate: expected a number in (0, 1], got 0',
    );
    expect(() => fitGradientBoosting(train, { rounds: 2.5 })).toThrow(
      'gradient boosting.rounds: expected an integer >= 1, got 2.5',
    );
  });
});
