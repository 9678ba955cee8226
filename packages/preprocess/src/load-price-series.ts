import { DataError, quoteData } from '@stagegraph/pipeline';
import { matchColumn, readTextColumns, type TableFormat, type TextColumns } from '@stagegraph/tables/read';
import type { Series } from './series.js';

/** SHA-256 of a data file's bytes, streamed: the load stage's cache key (from the reader, which refuses what it cannot read). */
export { hashFile } from '@stagegraph/tables/read';

export interface PriceSeriesOptions {
  /** The price column; matched exactly, else case-insensitively when that is unambiguous. */
  column: string;
  dateColumn: string;
  /** Rows whose price is empty or not a number: drop them (and report the count) or fail. */
  invalid: 'drop' | 'fail';
  /** Keep only the rows whose columns hold these values, for long-format files (`{"symbol": "MSFT"}`). */
  where?: Record<string, string | number | boolean>;
  /**
   * Other numeric columns to carry along as the series' features (volume, high, low...), or `all`:
   * every other column with a number in each kept row (and more than one value), the rest left out.
   */
  features?: string[] | 'all';
  /** How errors about the file itself (missing, of another format) name it: with where it resolved. */
  located?: string;
}

export interface LoadedSeries {
  series: Series;
  /** Rows left out: where in the file (`line 4`, or `row 3` in a JSON array or Parquet), the first cell that was not a number, and its column. */
  dropped: { at: string; column: string; value: string }[];
  /** The file's format, told by its content. */
  format: TableFormat;
  /** `features: "all"`: the columns it left out, and why. */
  leftOut: { column: string; reason: string }[];
}

/** A decimal number as people and spreadsheets write it: no hex, binary, "Infinity" or blanks. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell's number, or NaN; Number() alone would take "0x10" as 16. */
export function decimal(raw: string): number {
  return DECIMAL.test(raw) ? Number(raw) : NaN;
}

/** Milliseconds since 1970, or NaN; an ISO day that does not exist (2020-02-30) is NaN, not March. */
export function parseDate(text: string): number {
  const time = Date.parse(text);
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!day || Number.isNaN(time)) return time;
  const check = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  return check.getUTCFullYear() === Number(day[1]) &&
    check.getUTCMonth() === Number(day[2]) - 1 &&
    check.getUTCDate() === Number(day[3])
    ? time
    : NaN;
}

/** `features: "all"`: the columns other than the date, the price and `where`'s that hold a number in every row, and more than one. */
function allFeatures(read: TextColumns, taken: string[]): { features: string[]; leftOut: LoadedSeries['leftOut'] } {
  const features: string[] = [];
  const leftOut: LoadedSeries['leftOut'] = [];
  read.names.forEach((name, c) => {
    if (taken.includes(name)) return;
    const cells = read.cells[c].map((cell) => cell.trim());
    const missing = cells.filter((cell) => !Number.isFinite(decimal(cell))).length;
    if (missing === cells.length) leftOut.push({ column: name, reason: 'not numbers' });
    else if (missing > 0) leftOut.push({ column: name, reason: `${missing} rows without a number` });
    else if (new Set(cells.map(decimal)).size === 1) leftOut.push({ column: name, reason: 'one value' });
    else features.push(name);
  });
  return { features, leftOut };
}

interface Row {
  date: string;
  time: number;
  value: number;
  features: number[];
}

/** The rows with a date and every number, and those dropped (or the first bad cell, when told to fail). */
function parseRows(read: TextColumns, indexes: number[], options: PriceSeriesOptions, shownAs: string) {
  const [dateIndex, ...numberIndexes] = indexes;
  const rows: Row[] = [];
  const dropped: LoadedSeries['dropped'] = [];
  const count = read.cells[0]?.length ?? 0;
  for (let r = 0; r < count; r++) {
    const date = read.cells[dateIndex][r].trim();
    const time = parseDate(date);
    if (Number.isNaN(time))
      throw new DataError(
        `${shownAs}: ${read.position(r)}, column ${quoteData(read.names[dateIndex])}: expected a date, got ${quoteData(date)}`,
      );
    // the price first, then each feature: a row without all of them is dropped (or fails) as a whole
    const numbers: number[] = [];
    for (const index of numberIndexes) {
      const raw = read.cells[index][r].trim();
      const value = decimal(raw);
      if (!Number.isFinite(value)) {
        if (options.invalid === 'fail')
          throw new DataError(
            `${shownAs}: ${read.position(r)}, column ${quoteData(read.names[index])}: expected a number, got ${quoteData(raw)}`,
          );
        dropped.push({ at: read.position(r), column: read.names[index], value: raw });
        break;
      }
      numbers.push(value);
    }
    if (numbers.length === numberIndexes.length)
      rows.push({ date, time, value: numbers[0], features: numbers.slice(1) });
  }
  return { rows, dropped };
}

/** Date order, one row per date; no row left is an error naming the column that left none. */
function checkRows(rows: Row[], read: TextColumns, indexes: number[], options: PriceSeriesOptions, shownAs: string) {
  rows.sort((a, b) => a.time - b.time);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].time === rows[i - 1].time)
      throw new DataError(
        `${shownAs}: column ${quoteData(read.names[indexes[0]])}: expected one row per date, got ${quoteData(rows[i].date)} twice${options.where ? '' : ' (a long-format file? pick one series with the where param, e.g. {"symbol": "MSFT"})'}`,
      );
  }
  if (rows.length === 0) {
    // name the column that left no row: a feature without numbers is not the price column's fault
    const numberIndexes = indexes.slice(1);
    const empty =
      numberIndexes.find((index) => !read.cells[index].some((cell) => Number.isFinite(decimal(cell.trim())))) ??
      numberIndexes[0];
    throw new DataError(
      `${shownAs}: column ${quoteData(read.names[empty])}: expected numbers, got none in ${read.cells[empty].length} rows`,
    );
  }
}

/**
 * Reads a dated price column, sorted by date, with every bad cell accounted for, from a CSV, TSV,
 * JSON (records), JSON Lines, Parquet or Arrow file: the same reader as tables.load (its format told
 * by its content, DuckDB), the cells as text parsed here as decimals and dates.
 */
export async function loadPriceSeries(
  file: string,
  options: PriceSeriesOptions,
  shownAs = file,
): Promise<LoadedSeries> {
  const named = [options.dateColumn, options.column, ...(Array.isArray(options.features) ? options.features : [])];
  const read = await readTextColumns({
    file,
    shownAs,
    located: options.located,
    columns: options.features === 'all' ? undefined : named,
    where: options.where,
  });
  const format = read.format;
  if (read.rowsRead === 0)
    throw new DataError(
      `${shownAs}: expected ${format === 'csv' || format === 'tsv' ? 'data rows after the header' : 'records'}, got none`,
    );
  // the date, the price, then each feature, as the file names them
  const [date, value] = [options.dateColumn, options.column].map((name) => matchColumn(name, read.names, shownAs));
  const taken = [
    date,
    value,
    ...Object.keys(options.where ?? {}).map((name) => matchColumn(name, read.header, shownAs)),
  ];
  const { features, leftOut } =
    options.features === 'all'
      ? allFeatures(read, taken)
      : { features: read.names.slice(2), leftOut: [] as LoadedSeries['leftOut'] };
  const indexes = [date, value, ...features].map((name) => read.names.indexOf(name));
  const { rows, dropped } = parseRows(read, indexes, options, shownAs);
  checkRows(rows, read, indexes, options, shownAs);
  const series: Series = { name: value, dates: rows.map((r) => r.date), values: rows.map((r) => r.value) };
  // keyed by the names the config asked for, so a model's `features` match whatever case the file uses
  const keys = options.features === 'all' ? features : (options.features ?? []);
  if (features.length)
    series.features = Object.fromEntries(keys.map((name, f) => [name, rows.map((r) => r.features[f])]));
  return { series, dropped, format, leftOut };
}
