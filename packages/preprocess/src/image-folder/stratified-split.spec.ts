import { describe, expect, it } from '@jest/globals';
import { stratifiedSplit } from './stratified-split.js';

const labelsOf = (counts: number[]) => counts.flatMap((n, k) => new Array<number>(n).fill(k));
const perClass = (rows: number[], labels: number[], classes: number) => {
  const counts = new Array<number>(classes).fill(0);
  for (const row of rows) counts[labels[row]]++;
  return counts;
};

describe('stratifiedSplit', () => {
  it("keeps each class's share in each part, and every row in exactly one part", () => {
    const labels = labelsOf([50, 30, 20]);
    const rows = stratifiedSplit(labels, 3, { validationFraction: 0.1, testFraction: 0.2, seed: 1 });
    expect(perClass(rows.test, labels, 3)).toEqual([10, 6, 4]);
    expect(perClass(rows.validation, labels, 3)).toEqual([5, 3, 2]);
    expect(perClass(rows.train, labels, 3)).toEqual([35, 21, 14]);
    expect([...rows.train, ...rows.validation, ...rows.test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });

  it('gives a small class one validation and one test row, and always keeps one to train on', () => {
    const labels = labelsOf([4, 3, 2, 1]);
    const rows = stratifiedSplit(labels, 4, { validationFraction: 0.1, testFraction: 0.2, seed: 1 });
    expect(perClass(rows.test, labels, 4)).toEqual([1, 1, 1, 0]);
    expect(perClass(rows.validation, labels, 4)).toEqual([1, 1, 0, 0]);
    expect(perClass(rows.train, labels, 4)).toEqual([2, 1, 1, 1]);
    const none = stratifiedSplit(labels, 4, { validationFraction: 0, testFraction: 0, seed: 1 });
    expect([none.validation.length, none.test.length, none.train.length]).toEqual([0, 0, 10]);
  });

  it('is the same for the same seed, another for another, and not ordered by class', () => {
    const labels = labelsOf([40, 40]);
    const split = (seed: number) => stratifiedSplit(labels, 2, { validationFraction: 0.1, testFraction: 0.2, seed });
    expect(split(5)).toEqual(split(5));
    expect(split(6).test).not.toEqual(split(5).test);
    const trainClasses = split(5).train.map((row) => labels[row]);
    expect(trainClasses).not.toEqual([...trainClasses].sort());
  });
});
