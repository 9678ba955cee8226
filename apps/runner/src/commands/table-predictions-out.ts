import { stringify } from 'csv-stringify/sync';
import type { Table, TableColumn } from '@stagegraph/contracts';

/** A model's answers for every row: class codes or values, and rows x classes probabilities for a classification. */
export interface RowPredictions {
  label: string;
  /** A classification's class names (codes index them); undefined for a regression. */
  classes?: string[];
  predicted: ArrayLike<number>;
  probabilities?: ArrayLike<number>;
}

type Cell = string | number | boolean | null;

const DAY_MS = 86_400_000;

/** A column's value at `row` as the file held it: numbers, category names, booleans, dates as ISO dates; null when missing. */
function cellOf(column: TableColumn, row: number): Cell {
  switch (column.type) {
    case 'number':
      return Number.isNaN(column.values[row]) ? null : column.values[row];
    case 'boolean':
      return column.values[row] === 255 ? null : column.values[row] === 1;
    case 'date': {
      const ms = column.values[row];
      if (Number.isNaN(ms)) return null;
      const iso = new Date(ms).toISOString();
      return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
    }
    case 'category':
      return column.codes[row] < 0 ? null : column.categories[column.codes[row]];
  }
}

/** A network's float32 answers at the precision they hold (17.2345676, not 17.234567642211914). */
const shown = (value: number) => (Number.isFinite(value) ? Number(value.toPrecision(7)) : null);

/** A name not already taken by an input column: `predicted_<label>`, or with `_2`... where the file has one. */
function freeName(name: string, taken: Set<string>): string {
  let free = name;
  for (let i = 2; taken.has(free); i++) free = `${name}_${i}`;
  taken.add(free);
  return free;
}

/**
 * The output's columns and a row's cells: every input column as read, then `predicted_<label>` (the
 * class name, or the value) and, for a classification with probabilities, one `p_<class>` per class.
 */
export function predictionColumns(table: Table, p: RowPredictions) {
  const taken = new Set(table.columns.map((column) => column.name));
  const predictedName = freeName(`predicted_${p.label}`, taken);
  const probabilityNames = p.classes && p.probabilities ? p.classes.map((name) => freeName(`p_${name}`, taken)) : [];
  const k = probabilityNames.length;
  const names = [...table.columns.map((column) => column.name), predictedName, ...probabilityNames];
  const cells = (row: number): Cell[] => [
    ...table.columns.map((column) => cellOf(column, row)),
    p.classes ? (p.classes[p.predicted[row]] ?? null) : shown(p.predicted[row]),
    ...probabilityNames.map((_, j) => shown(p.probabilities![row * k + j])),
  ];
  return { names, cells };
}

/** Rows written a block at a time, so a large file's output is never one string per cell at once. */
const BLOCK = 10_000;

/** The rows as CSV (a header, RFC 4180, missing values empty) or JSON (an array of records, missing null), in parts. */
export function* predictionText(table: Table, p: RowPredictions, format: 'csv' | 'json'): Generator<string> {
  const { names, cells } = predictionColumns(table, p);
  if (format === 'json') yield '[';
  for (let from = 0; from < table.rows || (from === 0 && format === 'csv'); from += BLOCK) {
    const rows = Array.from({ length: Math.min(BLOCK, table.rows - from) }, (_, i) => cells(from + i));
    if (format === 'csv') yield stringify(rows, { header: from === 0, columns: names, cast: { boolean: String } });
    else
      yield rows
        .map(
          (row, i) =>
            `${from + i ? ',' : ''}\n  ${JSON.stringify(Object.fromEntries(names.map((n, j) => [n, row[j]])))}`,
        )
        .join('');
  }
  if (format === 'json') yield '\n]\n';
}
