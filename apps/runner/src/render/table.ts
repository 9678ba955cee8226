import { stringify } from 'csv-stringify/sync';
import { escapeControlCharacters } from '@stagegraph/pipeline';
import { formatNumber } from './format.js';

/** Rows of named cells, printed as aligned text or as CSV (`--csv`); `--json` prints the data itself. */
export interface Table {
  columns: string[];
  rows: Record<string, unknown>[];
}

// Cells come from run records and data files: their control bytes are shown escaped, never sent to the terminal.
const cellText = (value: unknown) =>
  escapeControlCharacters(
    value === undefined || value === null ? '' : typeof value === 'string' ? value : formatNumber(value),
  );

/** A row's own cell: a column named `constructor` or `toString` is data, not Object.prototype's. */
const own = (row: Record<string, unknown>, column: string) => (Object.hasOwn(row, column) ? row[column] : undefined);

/** Columns padded to their widest cell, numbers right-aligned. */
export function textTable({ columns, rows }: Table): string {
  const cells = rows.map((row) => columns.map((c) => cellText(own(row, c))));
  const widths = columns.map((c, i) => Math.max(escapeControlCharacters(c).length, ...cells.map((r) => r[i].length)));
  const numeric = columns.map(
    (c) => rows.length > 0 && rows.every((row) => own(row, c) === undefined || typeof own(row, c) === 'number'),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map(escapeControlCharacters)), ...cells.map(line)].join('\n') + '\n';
}

/** RFC 4180 CSV with a header row; numbers at full precision. */
export function csvTable({ columns, rows }: Table): string {
  return stringify(
    rows.map((row) =>
      columns.map((c) =>
        own(row, c) !== null && typeof own(row, c) === 'object' ? JSON.stringify(own(row, c)) : own(row, c),
      ),
    ),
    { header: true, columns, cast: { boolean: String } }, // true/false, not csv-stringify's 1/''
  );
}

/** Short column names for config paths: the last segment, or more where two would clash. */
export function shortNames(paths: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const path of paths) {
    const parts = path.split('.').filter((p) => p !== 'params');
    let n = 1;
    const tail = (k: number) => parts.slice(-k).join('.');
    while (
      n < parts.length &&
      paths.some(
        (other) =>
          other !== path &&
          other
            .split('.')
            .filter((p) => p !== 'params')
            .slice(-n)
            .join('.') === tail(n),
      )
    )
      n++;
    names.set(path, tail(n));
  }
  return names;
}

/** Swept values as one line, `units=32 learningRate=0.005`, named by `shortNames`. */
export function describeParams(params: Record<string, unknown>): string {
  const names = shortNames(Object.keys(params));
  return Object.entries(params)
    .map(
      ([path, value]) =>
        `${names.get(path)}=${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)}`,
    )
    .join(' ');
}
