import { DataError } from '@stagegraph/pipeline';
import type { Table, TableColumn } from '@stagegraph/contracts';

/** A classification label's class names in code order, and each row's class code (-1 where the label is missing). */
export interface LabelClasses {
  readonly classes: string[];
  readonly codes: Int32Array;
  /** Rows of each class, by code. */
  readonly counts: Int32Array;
}

/** The label column of a table; a DataError when the table names none or names one it lacks. */
export function labelColumn(table: Table): TableColumn {
  if (table.label === undefined) throw new DataError('table: expected a label column to predict, got none');
  const column = table.columns.find((c) => c.name === table.label);
  if (!column) throw new DataError(`table: expected the label "${table.label}" among the columns, got none`);
  return column;
}

/** Whether row `row` of the column has a value. */
export function hasValue(column: TableColumn, row: number): boolean {
  if (column.type === 'category') return column.codes[row] >= 0;
  if (column.type === 'boolean') return column.values[row] !== 255;
  return !Number.isNaN(column.values[row]);
}

/** The distinct values of a number column, ascending, missing ones left out. */
export function distinctNumbers(values: Float64Array): Float64Array {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
  return sorted.slice(0, n);
}

/** The index of `value` in ascending `sorted`, or -1. */
function indexIn(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else if (sorted[mid] > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function countCodes(codes: Int32Array, classes: number): Int32Array {
  const counts = new Int32Array(classes);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  return counts;
}

/** Categories that no row holds are no class: codes are renumbered over the ones present, in the table's order. */
function categoryClasses(codes: Int32Array, categories: string[]): LabelClasses {
  const present = countCodes(codes, categories.length);
  const renumber = new Int32Array(categories.length).fill(-1);
  const classes: string[] = [];
  present.forEach((count, code) => {
    if (count > 0) renumber[code] = classes.push(categories[code]) - 1;
  });
  const mapped = codes.map((code) => (code >= 0 ? renumber[code] : -1));
  return { classes, codes: mapped, counts: countCodes(mapped, classes.length) };
}

function numberClasses(values: Float64Array): LabelClasses {
  const distinct = distinctNumbers(values);
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = Number.isNaN(values[i]) ? -1 : indexIn(distinct, values[i]);
  return { classes: Array.from(distinct, String), codes, counts: countCodes(codes, distinct.length) };
}

function booleanCodes(values: Uint8Array): Int32Array {
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = values[i] === 255 ? -1 : values[i];
  return codes;
}

const cache = new WeakMap<TableColumn, LabelClasses>();

/**
 * A label column's classes: a category's categories, a boolean's "false" and "true", a number's distinct
 * values (ascending, as text). Only values some row holds are classes. Cached per column: inference,
 * splitting and fitting all ask, and a two-million-row number label is sorted once.
 */
export function classesOf(column: TableColumn): LabelClasses {
  const known = cache.get(column);
  if (known) return known;
  let found: LabelClasses;
  if (column.type === 'category') found = categoryClasses(column.codes, column.categories);
  else if (column.type === 'boolean') found = categoryClasses(booleanCodes(column.values), ['false', 'true']);
  else if (column.type === 'number') found = numberClasses(column.values);
  else throw new DataError(`label "${column.name}": expected a category, boolean or number column, got a date`);
  cache.set(column, found);
  return found;
}
