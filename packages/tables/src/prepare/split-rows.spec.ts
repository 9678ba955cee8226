import { describe, expect, it } from '@jest/globals';
import { DataError } from '@stagegraph/pipeline';
import { apportion, splitRows } from './split-rows.js';
import { kFolds } from './k-folds.js';
import { categoryColumn, imbalancedLabels, numberColumn, tableOf } from './test-support/tables.js';

const classTable = (n: number) => {
  const labels = imbalancedLabels(n, { a: 0.7, b: 0.2, c: 0.1 });
  return {
    labels,
    table: tableOf(
      [
        numberColumn(
          'x',
          labels.map((_, i) => i),
        ),
        categoryColumn('y', labels),
      ],
      'y',
    ),
  };
};
const countOf = (labels: string[], rows: Int32Array) =>
  Array.from(rows).reduce<Record<string, number>>((c, row) => ({ ...c, [labels[row]]: (c[labels[row]] ?? 0) + 1 }), {});

describe('splitRows', () => {
  it('keeps each class share in every split when stratified', () => {
    const { labels, table } = classTable(1000);
    const split = splitRows(table, { testFraction: 0.2, validationFraction: 0.1, seed: 7 });
    expect(split.stratified).toBe(true);
    expect(countOf(labels, split.test)).toEqual({ a: 140, b: 40, c: 20 });
    expect(countOf(labels, split.validation)).toEqual({ a: 70, b: 20, c: 10 });
    expect(countOf(labels, split.train)).toEqual({ a: 490, b: 140, c: 70 });
  });

  it('gives every labelled row to exactly one split, each ascending, and leaves unlabelled rows out', () => {
    const labels = imbalancedLabels(200, { a: 0.5, b: 0.5 }).map((l, i) => (i % 10 === 3 ? undefined : l));
    const table = tableOf([categoryColumn('y', labels)], 'y');
    const split = splitRows(table, { testFraction: 0.25, validationFraction: 0.1, seed: 1 });
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(labels.flatMap((l, i) => (l === undefined ? [] : [i])));
    expect(split.unlabelled).toBe(20);
    for (const rows of [split.train, split.validation, split.test])
      expect(Array.from(rows)).toEqual(Array.from(rows).sort((a, b) => a - b));
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const { table } = classTable(500);
    const one = splitRows(table, { testFraction: 0.2, seed: 42 });
    expect(splitRows(table, { testFraction: 0.2, seed: 42 })).toEqual(one);
    expect(Array.from(splitRows(table, { testFraction: 0.2, seed: 43 }).test)).not.toEqual(Array.from(one.test));
    expect(one.validation.length).toBe(0);
  });

  it('does not stratify a regression, and splits it by the fractions', () => {
    const table = tableOf(
      [
        numberColumn(
          'price',
          Array.from({ length: 100 }, (_, i) => i * 1.5),
        ),
      ],
      'price',
    );
    const split = splitRows(table, { testFraction: 0.2, validationFraction: 0.1, seed: 3 });
    expect([split.stratified, split.train.length, split.validation.length, split.test.length]).toEqual([
      false,
      70,
      10,
      20,
    ]);
  });

  it('keeps a class of one row for training, and refuses a table too small for a test split', () => {
    const table = tableOf([categoryColumn('y', [...Array(19).fill('a'), 'rare'])], 'y');
    const split = splitRows(table, { testFraction: 0.2, seed: 5 });
    expect(split.train).toContain(19);
    expect(split.test.length).toBe(4);
    const tiny = tableOf([categoryColumn('y', ['a', 'b'])], 'y');
    expect(() => splitRows(tiny, { testFraction: 0.2, seed: 5 })).toThrow(DataError);
  });
});

describe('apportion', () => {
  it('hands out the rounding by largest remainder within the caps', () => {
    expect(Array.from(apportion([5, 5, 5], 0.5, [5, 5, 5]))).toEqual([3, 3, 2]); // round(7.5) = 8 rows
    expect(Array.from(apportion([1, 9], 0.5, [0, 8]))).toEqual([0, 5]);
  });
});

describe('kFolds', () => {
  it('holds each labelled row out once, each fold with its class shares, for a seed', () => {
    const { labels, table } = classTable(100);
    const { folds, foldOf } = kFolds(table, { k: 5, seed: 9 });
    const held = folds.flatMap((fold) => Array.from(fold.validation)).sort((a, b) => a - b);
    expect(held).toEqual(labels.map((_, i) => i));
    for (const fold of folds) {
      expect(countOf(labels, fold.validation)).toEqual({ a: 14, b: 4, c: 2 });
      expect(fold.train.length + fold.validation.length).toBe(100);
      expect(Array.from(fold.train).some((row) => fold.validation.includes(row))).toBe(false);
    }
    expect(kFolds(table, { k: 5, seed: 9 }).foldOf).toEqual(foldOf);
    expect(kFolds(table, { k: 5, seed: 10 }).foldOf).not.toEqual(foldOf);
  });

  it('folds the given rows only, aligned with them, and refuses more folds than rows', () => {
    const { table } = classTable(50);
    const rows = Int32Array.from({ length: 20 }, (_, i) => i * 2);
    const { foldOf, folds } = kFolds(table, { k: 4, seed: 1, rows });
    expect(foldOf.length).toBe(20);
    expect(folds.every((fold) => fold.validation.every((row) => row % 2 === 0))).toBe(true);
    expect(() => kFolds(table, { k: 60, seed: 1 })).toThrow(
      'folds: expected a whole number from 2 to the 50 labelled rows, got 60',
    );
  });
});
