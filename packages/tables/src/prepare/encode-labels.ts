import { DataError } from '@stagegraph/pipeline';
import type { TableColumn, TablePreparation } from '@stagegraph/contracts';

/** A label value as the class name it would have (a category's name, "true"/"false", a number as text). */
function classNameAt(column: TableColumn): (row: number) => string | undefined {
  switch (column.type) {
    case 'category':
      return (row) => (column.codes[row] < 0 ? undefined : column.categories[column.codes[row]]);
    case 'boolean':
      return (row) => (column.values[row] === 255 ? undefined : String(column.values[row] === 1));
    default:
      return (row) => (Number.isNaN(column.values[row]) ? undefined : String(column.values[row]));
  }
}

/** Class codes looked up by class name per category code (not per row) where the label is a category. */
function classCodes(
  classes: string[],
  column: TableColumn,
  rows: Int32Array,
): { labels: Int32Array<ArrayBuffer>; unseenClasses: number } {
  const codeOf = new Map(classes.map((name, code) => [name, code]));
  const labels = new Int32Array(rows.length);
  let unseenClasses = 0;
  const byCategory =
    column.type === 'category' ? Int32Array.from(column.categories, (name) => codeOf.get(name) ?? -1) : undefined;
  const nameAt = classNameAt(column);
  for (let i = 0; i < rows.length; i++) {
    let code: number;
    if (byCategory)
      code = column.type === 'category' && column.codes[rows[i]] >= 0 ? byCategory[column.codes[rows[i]]] : -2;
    else {
      const name = nameAt(rows[i]);
      code = name === undefined ? -2 : (codeOf.get(name) ?? -1);
    }
    if (code === -1) unseenClasses++;
    labels[i] = Math.max(code, -1); // -1: missing or unknown
  }
  return { labels, unseenClasses };
}

/** The label of `rows`: class codes for a classification (by class name), values for a regression (NaN where missing). */
export function encodeLabels(
  preparation: TablePreparation,
  column: TableColumn,
  rows: Int32Array,
): { labels: Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>; unseenClasses: number } {
  if (preparation.task === 'classification') return classCodes(preparation.classes ?? [], column, rows);
  if (column.type === 'category' || column.type === 'date')
    throw new DataError(`label "${column.name}": expected numbers for a regression, got a ${column.type} column`);
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]];
    values[i] = column.type === 'boolean' && v === 255 ? NaN : v;
  }
  return { labels: values, unseenClasses: 0 };
}
