import { DataError } from '@stagegraph/pipeline';
import type { PredictionTask, Table, TableColumn } from '@stagegraph/contracts';
import { classesOf, labelColumn, type LabelClasses } from './label-classes.js';

/** A number label is a class label when it holds whole numbers only, at most this many distinct... */
export const MAX_INFERRED_CLASSES = 20;
/** ...and on average at least this many rows per distinct value (a count label with few rows stays a regression). */
export const MIN_ROWS_PER_INFERRED_CLASS = 10;
/** More classes than this is a mistaken `task`, not a classification. */
export const MAX_CLASSES = 1000;

export interface TaskInference {
  readonly task: PredictionTask;
  /** Why, in words, for the log: `a category label with 3 classes`. */
  readonly reason: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A number label's task. As scikit-learn's type_of_target, whole numbers only may be classes; unlike it
 * (which calls any whole-number target "multiclass"), a label with many distinct values, or few rows per
 * value, is a regression: two distinct whole numbers are always a classification; 3..20 distinct whole
 * numbers are one when the rows average 10 or more per value (cars' Cylinders, a 1-5 rating);
 * anything else (prices, ages, counts with a long tail) is a regression.
 */
function numberTask(column: TableColumn & { type: 'number' }, rows: number): TaskInference {
  const distinct = classesOf(column).classes.length;
  let whole = true;
  for (const v of column.values) if (!Number.isNaN(v) && !Number.isInteger(v)) whole = false;
  const few = distinct <= 2 || (distinct <= MAX_INFERRED_CLASSES && distinct * MIN_ROWS_PER_INFERRED_CLASS <= rows);
  if (whole && few) return { task: 'classification', reason: `a number label of ${distinct} whole values` };
  const why = whole ? `${distinct} distinct values in ${plural(rows, 'row')}` : 'values that are not whole numbers';
  return { task: 'regression', reason: `a number label with ${why}` };
}

/** Fails unless a classification label has two classes or more (and not thousands). */
function checkClasses(column: TableColumn, found: LabelClasses): void {
  const n = found.classes.length;
  if (n < 2) {
    const held = n === 1 ? `one ("${found.classes[0]}" in all ${plural(found.counts[0], 'row')})` : 'none';
    throw new DataError(`label "${column.name}": expected two or more classes to tell apart, got ${held}`);
  }
  if (n > MAX_CLASSES)
    throw new DataError(`label "${column.name}": expected at most ${MAX_CLASSES} classes, got ${n} (a regression?)`);
}

/**
 * Whether the table's label makes a classification or a regression: category and boolean labels are
 * classes, number labels as `numberTask` says; `override` (the stage's `task` param) decides where given,
 * but a category label cannot be regressed on and a date label is neither.
 */
export function inferTask(table: Table, override?: PredictionTask): TaskInference {
  const column = labelColumn(table);
  if (column.type === 'date')
    throw new DataError(`label "${column.name}": expected a category, boolean or number column, got a date`);
  if (column.type === 'category' && override === 'regression')
    throw new DataError(`label "${column.name}": expected a number label for a regression, got a category column`);
  let inference: TaskInference;
  if (override) inference = { task: override, reason: 'the task param' };
  else if (column.type === 'number') inference = numberTask(column, table.rows);
  else inference = { task: 'classification', reason: `a ${column.type} label` };
  if (inference.task === 'classification') {
    const found = classesOf(column);
    checkClasses(column, found);
    return { ...inference, reason: `${inference.reason}, ${found.classes.length} classes` };
  }
  return inference;
}
