import { DataError, SeededRandom } from '@stagegraph/pipeline';
import type { Table } from '@stagegraph/contracts';
import { strataOf, type StrataOptions } from './strata.js';

export interface SplitOptions extends StrataOptions {
  /** Share of the labelled rows held out for the test, in (0, 1). */
  readonly testFraction: number;
  /** Share held out for validation (early stopping, model choice), in [0, 1); default 0. */
  readonly validationFraction?: number;
  readonly seed: number;
}

/** Row indices of the table, each list ascending (the table's order, so a slice reads memory in order). */
export interface RowSplit {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
  readonly stratified: boolean;
  readonly unlabelled: number;
}

/**
 * How many of each group's rows to take so the total is round(fraction x all rows) and each group gives
 * its share (largest remainders get the rounding), never more than `caps` allows.
 */
export function apportion(sizes: ArrayLike<number>, fraction: number, caps: ArrayLike<number>): Int32Array {
  let all = 0;
  for (let g = 0; g < sizes.length; g++) all += sizes[g];
  const taken = new Int32Array(sizes.length);
  let left = Math.round(all * fraction);
  for (let g = 0; g < sizes.length; g++) {
    taken[g] = Math.min(Math.floor(sizes[g] * fraction), caps[g]);
    left -= taken[g];
  }
  const byRemainder = Array.from(sizes, (_, g) => g).sort(
    (a, b) =>
      sizes[b] * fraction - Math.floor(sizes[b] * fraction) - (sizes[a] * fraction - Math.floor(sizes[a] * fraction)) ||
      a - b,
  );
  for (let pass = 0; pass < 2 && left > 0; pass++)
    for (const g of byRemainder) {
      if (left === 0) break;
      if (taken[g] < caps[g]) {
        taken[g]++;
        left--;
      }
    }
  return taken;
}

function concatSorted(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out.sort();
}

/**
 * A seeded split of the labelled rows into train, validation and test. Stratified (the default, for a
 * classification): each class gives its share to each split, and keeps one row or more for training.
 * The same table, fractions and seed give the same split.
 */
export function splitRows(table: Table, options: SplitOptions): RowSplit {
  const { groups, stratified, unlabelled } = strataOf(table, options);
  const sizes = groups.map((group) => group.length);
  const testTaken = apportion(
    sizes,
    options.testFraction,
    sizes.map((n) => n - 1),
  );
  const validationTaken = apportion(
    sizes,
    options.validationFraction ?? 0,
    sizes.map((n, g) => n - 1 - testTaken[g]),
  );
  const random = new SeededRandom(options.seed);
  const parts = { train: [] as Int32Array[], validation: [] as Int32Array[], test: [] as Int32Array[] };
  groups.forEach((group, g) => {
    const order = random.permutation(group.length);
    const shuffled = order.map((i) => group[i]);
    const [t, v] = [testTaken[g], validationTaken[g]];
    parts.test.push(shuffled.subarray(0, t));
    parts.validation.push(shuffled.subarray(t, t + v));
    parts.train.push(shuffled.subarray(t + v));
  });
  const split = {
    train: concatSorted(parts.train),
    validation: concatSorted(parts.validation),
    test: concatSorted(parts.test),
    stratified,
    unlabelled,
  };
  if (split.test.length === 0 || split.train.length === 0)
    throw new DataError(
      `table: expected enough labelled rows for a training and a ${Math.round(options.testFraction * 100)}% test split, got ${sizes.reduce((a, b) => a + b, 0)}`,
    );
  return split;
}
