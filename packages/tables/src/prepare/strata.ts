import type { PredictionTask, Table } from '@stagegraph/contracts';
import { classesOf, hasValue, labelColumn } from './label-classes.js';
import { inferTask } from './infer-task.js';

export interface StrataOptions {
  /** Stratify by class (a classification's only; default true). */
  readonly stratify?: boolean;
  /** The task, where the caller knows it (else inferred from the label). */
  readonly task?: PredictionTask;
  /** The rows to group (default every row of the table). */
  readonly rows?: Int32Array;
}

export interface Strata {
  /** The labelled rows of each group, ascending: one group per class when stratified, else one group. */
  readonly groups: Int32Array[];
  readonly stratified: boolean;
  /** Rows left out because their label is missing. */
  readonly unlabelled: number;
}

const everyRow = (n: number) => {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
};

/** The labelled rows, grouped by class for a stratified split or fold (typed arrays, no per-row objects). */
export function strataOf(table: Table, options: StrataOptions): Strata {
  const label = labelColumn(table);
  const rows = options.rows ?? everyRow(table.rows);
  const stratified = (options.stratify ?? true) && inferTask(table, options.task).task === 'classification';
  if (!stratified) {
    const labelled = rows.filter((row) => hasValue(label, row));
    return { groups: [labelled], stratified, unlabelled: rows.length - labelled.length };
  }
  const { codes, classes } = classesOf(label);
  const sizes = new Int32Array(classes.length);
  for (const row of rows) if (codes[row] >= 0) sizes[codes[row]]++;
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(classes.length);
  let unlabelled = 0;
  for (const row of rows) {
    const code = codes[row];
    if (code < 0) unlabelled++;
    else groups[code][filled[code]++] = row;
  }
  return { groups: groups.filter((group) => group.length > 0), stratified, unlabelled };
}
