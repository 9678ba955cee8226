import { DataError, quoteData, readDataFile } from '@stagegraph/pipeline';
import { parseCsv, type CsvTable } from './csv-parse.js';
import type { Series } from './series.js';

export interface PriceSeriesOptions {
  /** The price column; matched exactly, else case-insensitively when that is unambiguous. */
  column: string;
  dateColumn: string;
  /** Rows whose price is empty or not a number: drop them (and report the count) or fail. */
  invalid: 'drop' | 'fail';
  /** Keep only the rows whose columns hold these values, for long-format files (`{"symbol": "MSFT"}`). */
  where?: Record<string, string>;
  /** Other numeric columns to carry along as the series' features (volume, high, low...). */
  features?: string[];
}

export interface LoadedSeries {
  series: Series;
  /** Rows left out: the first cell that was not a number, and its column. */
  dropped: { line: number; column: string; value: string }[];
}

/** Reads a dated price column from a CSV, sorted by date, with every bad cell accounted for. */
export async function loadPriceSeries(
  file: string,
  options: PriceSeriesOptions,
  shownAs = file,
): Promise<LoadedSeries> {
  const text = (await readDataFile(file, 'a readable CSV file', shownAs)).toString('utf8');
  const table = parseCsv(text, shownAs);
  const valueIndex = columnIndex(table.header, options.column, shownAs);
  const dateIndex = columnIndex(table.header, options.dateColumn, shownAs);
  if (table.rows.length === 0) throw new DataError(`${shownAs}: expected data rows after the header, got none`);

  const selected = options.where ? selectRows(table, options.where, shownAs) : table.rows;
  const featureIndexes = (options.features ?? []).map((name) => columnIndex(table.header, name, shownAs));
  const rows: { date: string; time: number; value: number; features: number[] }[] = [];
  const dropped: LoadedSeries['dropped'] = [];
  for (const { line, cells } of selected) {
    const date = (cells[dateIndex] ?? '').trim();
    const time = parseDate(date);
    if (Number.isNaN(time))
      throw new DataError(
        `${shownAs}: line ${line}, column ${quoteData(table.header[dateIndex])}: expected a date, got ${quoteData(date)}`,
      );
    // the price first, then each feature: a row without all of them is dropped (or fails) as a whole
    const numbers: number[] = [];
    for (const index of [valueIndex, ...featureIndexes]) {
      const raw = (cells[index] ?? '').trim();
      const value = decimal(raw);
      if (!Number.isFinite(value)) {
        if (options.invalid === 'fail')
          throw new DataError(
            `${shownAs}: line ${line}, column ${quoteData(table.header[index])}: expected a number, got ${quoteData(raw)}`,
          );
        dropped.push({ line, column: table.header[index], value: raw });
        break;
      }
      numbers.push(value);
    }
    if (numbers.length === 1 + featureIndexes.length)
      rows.push({ date, time, value: numbers[0], features: numbers.slice(1) });
  }
  rows.sort((a, b) => a.time - b.time);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].time === rows[i - 1].time)
      throw new DataError(
        `${shownAs}: column ${quoteData(table.header[dateIndex])}: expected one row per date, got ${quoteData(rows[i].date)} twice${options.where ? '' : ' (a long-format file? pick one series with the where param, e.g. {"symbol": "MSFT"})'}`,
      );
  }
  if (rows.length === 0) {
    // name the column that left no row: a feature without numbers is not the price column's fault
    const empty =
      [valueIndex, ...featureIndexes].find(
        (index) => !selected.some(({ cells }) => Number.isFinite(decimal((cells[index] ?? '').trim()))),
      ) ?? valueIndex;
    throw new DataError(
      `${shownAs}: column ${quoteData(table.header[empty])}: expected numbers, got none in ${table.rows.length} rows`,
    );
  }
  const series: Series = {
    name: table.header[valueIndex],
    dates: rows.map((r) => r.date),
    values: rows.map((r) => r.value),
  };
  // keyed by the names the config asked for, so a model's `features` match whatever case the file uses
  if (featureIndexes.length)
    series.features = Object.fromEntries(options.features!.map((name, f) => [name, rows.map((r) => r.features[f])]));
  return { series, dropped };
}

/** The rows whose `where` columns hold the given values; none is an error that lists what the first unmatched column holds. */
function selectRows(table: CsvTable, where: Record<string, string>, file: string): CsvTable['rows'] {
  let rows = table.rows;
  for (const [column, wanted] of Object.entries(where)) {
    const index = columnIndex(table.header, column, file);
    const kept = rows.filter(({ cells }) => (cells[index] ?? '').trim() === wanted);
    if (kept.length === 0) {
      const values = [...new Set(rows.map(({ cells }) => (cells[index] ?? '').trim()))];
      const shown = values
        .slice(0, MAX_COLUMNS_SHOWN)
        .map((v) => quoteData(v))
        .join(', ');
      throw new DataError(
        `${file}: where.${column}: expected one of ${shown}${values.length > MAX_COLUMNS_SHOWN ? ` and ${values.length - MAX_COLUMNS_SHOWN} more` : ''}, got ${quoteData(wanted)}`,
      );
    }
    rows = kept;
  }
  return rows;
}

/** A decimal number as people and spreadsheets write it: no hex, binary, "Infinity" or blanks. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell's number, or NaN; Number() alone would take "0x10" as 16. */
function decimal(raw: string): number {
  return DECIMAL.test(raw) ? Number(raw) : NaN;
}

/** Milliseconds since 1970, or NaN; an ISO day that does not exist (2020-02-30) is NaN, not March. */
function parseDate(text: string): number {
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

/** A binary file read as CSV can have thousands of "columns": name the first few. */
const MAX_COLUMNS_SHOWN = 20;

function columnIndex(header: string[], column: string, file: string): number {
  const exact = header.indexOf(column);
  if (exact >= 0) return exact;
  const folded = header.flatMap((name, i) => (name.toLowerCase() === column.toLowerCase() ? [i] : []));
  if (folded.length === 1) return folded[0];
  const shown = header
    .slice(0, MAX_COLUMNS_SHOWN)
    .map((name) => quoteData(name))
    .join(', ');
  const more = header.length > MAX_COLUMNS_SHOWN ? ` and ${header.length - MAX_COLUMNS_SHOWN} more` : '';
  throw new DataError(`${file}: expected a column ${quoteData(column)}, got columns ${shown}${more}`);
}
