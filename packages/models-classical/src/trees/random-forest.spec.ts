import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import { binFeatures } from './binning.js';
import { GiniCriterion } from './criteria.js';
import { TreeGrower } from './histogram-tree.js';
import { fitRandomForest, predictForest } from './random-forest.js';
import { accuracy, rSquared, smoothRule, table, threeClassRule, xorRule } from './test-support/synthetic.js';

const classification = (rows: number, cols: number, seed: number, rule = xorRule) => {
  const t = table(rows, cols, seed, rule);
  return { ...t, y: Int32Array.from(t.y), task: 'classification' as const };
};

describe('fitRandomForest / predictForest', () => {
  it('learns an XOR of two thresholds among noise features (held-out accuracy above 0.95)', () => {
    const train = classification(2000, 8, 1);
    const test = classification(1000, 8, 2);
    const model = fitRandomForest(train, { trees: 30, seed: 3 });
    const probabilities = predictForest(model, test.x, test.rows, test.cols);
    expect(probabilities).toHaveLength(1000 * 2);
    expect(probabilities[0] + probabilities[1]).toBeCloseTo(1, 10);
    expect(accuracy(probabilities, test.y, 2)).toBeGreaterThan(0.95);
  });

  it('separates three classes', () => {
    const train = classification(1500, 5, 4, threeClassRule);
    const test = classification(500, 5, 5, threeClassRule);
    const model = fitRandomForest(train, { trees: 20, seed: 1 });
    expect(model.classes).toBe(3);
    expect(accuracy(predictForest(model, test.x, test.rows, test.cols), test.y, 3)).toBeGreaterThan(0.93);
  });

  it('fits a smooth function for regression (held-out R^2 above 0.9)', () => {
    const train = { ...table(3000, 6, 6, smoothRule), task: 'regression' as const };
    const test = table(1000, 6, 7, smoothRule);
    const model = fitRandomForest(train, { trees: 30, seed: 1 });
    const predicted = predictForest(model, test.x, test.rows, test.cols);
    expect(predicted).toHaveLength(1000);
    expect(rSquared(predicted, test.y)).toBeGreaterThan(0.9);
  });

  it('repeats itself exactly with the same seed, and differs with another', () => {
    const train = classification(500, 6, 8);
    const a = JSON.stringify(fitRandomForest(train, { trees: 5, seed: 11 }));
    const b = JSON.stringify(fitRandomForest(train, { trees: 5, seed: 11 }));
    const c = JSON.stringify(fitRandomForest(train, { trees: 5, seed: 12 }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it.each([0, 1])(
    'learns which side missing values go to: rows with feature 0 missing are class %d',
    (missingClass) => {
      const train = classification(2000, 3, 9, (row) => Number(row[0] > 0.5));
      for (let r = 0; r < train.rows; r += 4) {
        train.x[r * 3] = NaN;
        train.y[r] = missingClass;
      }
      // stumps on feature 0: one split, so the missing rows must be sent to their class's side
      const model = fitRandomForest(train, { trees: 10, seed: 1, maxDepth: 1, maxFeatures: 'all' });
      expect(model.trees[0].feature).toEqual([0, -1, -1]);
      expect(model.trees[0].missingLeft[0]).toBe(missingClass === 0 ? 1 : 0);
      // new rows: feature 0 missing, low (class 0) and high (class 1)
      const p = predictForest(model, Float64Array.of(NaN, 0.5, 0.5, 0.1, 0.5, 0.5, 0.9, 0.5, 0.5), 3, 3);
      expect(p[missingClass]).toBeGreaterThan(0.9);
      expect(p[2]).toBeGreaterThan(0.9);
      expect(p[5]).toBeGreaterThan(0.9);
    },
  );

  it('works with a single feature: the threshold lands at the class boundary', () => {
    const train = classification(400, 1, 10, (row) => Number(row[0] > 0.3));
    const model = fitRandomForest(train, { trees: 5, seed: 1 });
    const p = predictForest(model, Float64Array.of(0.25, 0.35), 2, 1);
    expect(p[1]).toBeLessThan(0.1); // 0.25: class 0
    expect(p[3]).toBeGreaterThan(0.9); // 0.35: class 1
  });

  it('predicts the same after a JSON round trip, and the model is plain numbers', () => {
    const train = classification(300, 4, 12);
    const model = fitRandomForest(train, { trees: 3, seed: 1 });
    const copy = JSON.parse(JSON.stringify(model));
    expect(predictForest(copy, train.x, train.rows, train.cols)).toEqual(
      predictForest(model, train.x, train.rows, train.cols),
    );
    expect(copy.trees[0].feature.every((f: unknown) => typeof f === 'number')).toBe(true);
    expect(copy.options).toMatchObject({ trees: 3, maxFeatures: 'sqrt', seed: 1 });
  });

  it('says what is wrong with its input in one line', () => {
    const x = new Float64Array(6);
    const fit = (y: ArrayLike<number>, task: 'classification' | 'regression' = 'classification') =>
      fitRandomForest({ x, rows: 3, cols: 2, y: Array.from(y), task });
    expect(() => fit([0, 1])).toThrow('random forest: expected 3 targets (one per row), got 2');
    expect(() => fit([0, 1, 1.5])).toThrow('random forest: expected class ids as integers >= 0, got 1.5 at row 2');
    expect(() => fit([0, NaN, 1], 'regression')).toThrow('expected finite regression targets, got NaN at row 1');
    const model = fitRandomForest({ x, rows: 3, cols: 2, y: [0, 1, 1], task: 'classification' }, { trees: 1 });
    expect(() => predictForest(model, new Float64Array(3), 1, 3)).toThrow(
      'random forest predict: expected 2 features per row as the model was trained on, got 3',
    );
  });
});

describe('TreeGrower histograms', () => {
  it('grows the same tree from subtracted histograms as from histograms summed directly', () => {
    const t = classification(3000, 6, 13, threeClassRule);
    const binned = binFeatures(t.x, t.rows, t.cols);
    const weights = new Float64Array(t.rows).fill(1);
    const grow = (histograms: 'subtract' | 'direct') =>
      new TreeGrower(
        binned,
        new GiniCriterion(t.y, weights, 3),
        { maxDepth: 8, minSamplesLeaf: 1, maxLeaves: Infinity, featuresPerSplit: 6, histograms },
        new SeededRandom(1),
      ).grow(Uint32Array.from({ length: t.rows }, (_, r) => r));
    const subtracted = grow('subtract');
    expect(subtracted.feature.length).toBeGreaterThan(20);
    expect(grow('direct')).toEqual(subtracted);
  });

  it('stops at maxLeaves, taking the largest gains first', () => {
    const t = classification(2000, 4, 14, threeClassRule);
    const model = fitRandomForest({ ...t }, { trees: 1, maxLeaves: 3, bootstrap: false, maxFeatures: 'all' });
    const leaves = model.trees[0].feature.filter((f) => f < 0).length;
    expect(leaves).toBe(3);
    // the two splits that matter are on feature 0 (the thirds); feature 1's flip is worth less
    expect(model.trees[0].feature.filter((f) => f >= 0)).toEqual([0, 0]);
  });
});
