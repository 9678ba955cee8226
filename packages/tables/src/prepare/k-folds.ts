import { DataError, SeededRandom } from '@stagegraph/pipeline';
import type { Table } from '@stagegraph/contracts';
import { strataOf, type StrataOptions } from './strata.js';

export interface FoldOptions extends StrataOptions {
  readonly k: number;
  readonly seed: number;
}

export interface Folds {
  /** The fold that holds each entry of `rows` out (aligned with `rows`; -1 for an unlabelled row). */
  readonly foldOf: Int32Array;
  /** Each fold's rows of the table, ascending: `validation` held out, `train` the rest. */
  readonly folds: { train: Int32Array; validation: Int32Array }[];
  readonly stratified: boolean;
}

/**
 * Seeded k-fold cross-validation over `rows` (default every row). Stratified for a classification: each
 * class's rows, shuffled, are dealt to the folds in turn, the deal going on from class to class, so
 * fold sizes differ by one row at most and each fold holds each class's share to within a row.
 */
export function kFolds(table: Table, options: FoldOptions): Folds {
  const { k, seed } = options;
  const { groups, stratified } = strataOf(table, options);
  const labelled = groups.reduce((n, group) => n + group.length, 0);
  if (!Number.isInteger(k) || k < 2 || k > labelled)
    throw new DataError(`folds: expected a whole number from 2 to the ${labelled} labelled rows, got ${k}`);
  const random = new SeededRandom(seed);
  const foldOfRow = new Int32Array(table.rows).fill(-1);
  let dealt = 0;
  for (const group of groups) for (const i of random.permutation(group.length)) foldOfRow[group[i]] = dealt++ % k;
  const rows = options.rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
  const foldOf = rows.map((row) => foldOfRow[row]);
  const folds = Array.from({ length: k }, (_, fold) => ({
    train: rows.filter((_, i) => foldOf[i] >= 0 && foldOf[i] !== fold).sort(),
    validation: rows.filter((_, i) => foldOf[i] === fold).sort(),
  }));
  return { foldOf, folds, stratified };
}
