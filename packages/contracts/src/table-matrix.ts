/**
 * A prepared TABLE as what models take: its feature columns as one row-major matrix (built from the
 * column typed arrays, no object per row) and its label as class codes or numbers. Prepared means
 * every column but the label is a `number` column; anything else is a DataError naming the column.
 */
import { DataError } from '@stagegraph/pipeline';
import type { Table, TableColumn } from './table.js';

export interface TableMatrix<M extends Float32Array | Float64Array = Float64Array> {
  /** rows x cols, row-major; NaN where a value is missing. */
  x: M;
  rows: number;
  cols: number;
  features: string[];
}

export type TableTarget =
  | { task: 'classification'; label: string; codes: Int32Array; classes: string[] }
  | { task: 'regression'; label: string; values: Float64Array };

function labelColumn(table: Table, what: string): TableColumn {
  if (table.label === undefined) throw new DataError(`${what}: expected a table with a label column, got none`);
  const column = table.columns.find((c) => c.name === table.label);
  if (!column) throw new DataError(`${what}: expected the label "${table.label}" among the columns, got none`);
  return column;
}

/** The names of a prepared table's feature columns (every column but the label), each checked to be a number column. */
export function tableFeatureNames(table: Table, what: string): string[] {
  const features = table.columns.filter((c) => c.name !== table.label);
  const other = features.find((c) => c.type !== 'number');
  if (other)
    throw new DataError(
      `${what}: expected prepared feature columns of type number, got "${other.name}" of type ${other.type} (prepare the table first)`,
    );
  if (!features.length) throw new DataError(`${what}: expected at least one feature column, got only the label`);
  return features.map((c) => c.name);
}

/**
 * The feature columns as a row-major matrix of type `Matrix`, in the order of `features` (a model's
 * feature names: a later table must have each of them) or of the table.
 */
export function tableMatrix<M extends Float32Array | Float64Array = Float64Array>(
  table: Table,
  what: string,
  features: string[] = tableFeatureNames(table, what),
  Matrix: new (length: number) => M = Float64Array as unknown as new (length: number) => M,
): TableMatrix<M> {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const { rows } = table;
  const cols = features.length;
  const x = new Matrix(rows * cols);
  features.forEach((name, j) => {
    const column = byName.get(name);
    if (!column)
      throw new DataError(`${what}: expected the feature column "${name}" the model was trained on, got none`);
    if (column.type !== 'number' || name === table.label)
      throw new DataError(`${what}: expected "${name}" to be a number feature column, got ${column.type}`);
    const values = column.values;
    for (let r = 0, at = j; r < rows; r++, at += cols) x[at] = values[r];
  });
  return { x, rows, cols, features };
}

/**
 * The label as class codes indexing `classes` (a category label) or numbers (a number label). With
 * `classes` (the training table's), codes are mapped to them by class name; an unknown class or a
 * missing label is a DataError.
 */
export function tableTarget(table: Table, what: string, classes?: string[]): TableTarget {
  const column = labelColumn(table, what);
  const label = column.name;
  if (column.type === 'number') {
    const bad = column.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError(`${what}: expected a value of "${label}" in every row, got none in row ${bad}`);
    return { task: 'regression', label, values: column.values };
  }
  if (column.type !== 'category')
    throw new DataError(`${what}: expected the label "${label}" as a category or number column, got ${column.type}`);
  const names = classes ?? column.categories;
  const index = new Map(names.map((name, i) => [name, i]));
  const map = Int32Array.from(column.categories, (name) => index.get(name) ?? -1);
  const codes = new Int32Array(column.codes.length);
  for (let r = 0; r < codes.length; r++) {
    const code = column.codes[r];
    const mapped = code >= 0 && code < map.length ? map[code] : -1;
    if (mapped < 0)
      throw new DataError(
        code < 0
          ? `${what}: expected a class of "${label}" in every row, got none in row ${r}`
          : `${what}: expected a class of "${label}" seen in training (${names.join(', ')}), got "${column.categories[code]}" in row ${r}`,
      );
    codes[r] = mapped;
  }
  return { task: 'classification', label, codes, classes: names };
}
