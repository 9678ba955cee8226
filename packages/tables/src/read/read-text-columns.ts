import type { DuckDBConnection } from '@duckdb/node-api';
import { DataError, didYouMean, quoteData } from '@stagegraph/pipeline';
import type { TableFormat } from './file-format.js';
import { openFile } from './open-file.js';
import { rowPositions } from './row-positions.js';
import { describe, type SourceColumn } from './select-rows.js';
import { DATE_TYPES, quoteIdentifier } from './sql.js';
import type { WhereOption } from './table-options.js';

export interface ReadTextColumnsOptions {
  /** The file to read (already resolved). */
  file: string;
  /** How errors name the file (the config's path); the file itself by default. */
  shownAs?: string;
  /** How errors about the file itself (missing, of another format) name it: with where it resolved. */
  located?: string;
  /** The columns to read, matched exactly, else case-insensitively when that is unambiguous; every column when left out. */
  columns?: string[];
  /** Keep only rows whose columns hold these values (text compared trimmed; typed columns compared as their type). */
  where?: WhereOption;
}

export interface TextColumns {
  format: TableFormat;
  /** Every column of the file, in its order. */
  header: string[];
  /** The columns read, as the file names them, in the order asked. */
  names: string[];
  /** Per column read, one cell per kept row in file order, as text: '' for a missing value, dates as ISO text. */
  cells: string[][];
  /** Rows in the file, before `where`. */
  rowsRead: number;
  /** Where kept row `i` is in the file, for messages: `line 4` in CSV, TSV or JSON Lines, else `row 3`. */
  position: (row: number) => string;
}

/** A file that is not text keeps more than ten columns: name the first few. */
const MAX_SHOWN = 20;
const shownList = (values: string[], total = values.length) =>
  values
    .slice(0, MAX_SHOWN)
    .map((v) => quoteData(v))
    .join(', ') + (total > MAX_SHOWN ? ` and ${total - MAX_SHOWN} more` : '');

/** The file's name for a column: exact, else the one column that matches ignoring case; else an error listing them. */
export function matchColumn(wanted: string, header: string[], shownAs: string): string {
  if (header.includes(wanted)) return wanted;
  const folded = header.filter((name) => name.toLowerCase() === wanted.toLowerCase());
  if (folded.length === 1) return folded[0];
  throw new DataError(
    `${shownAs}: expected a column ${quoteData(wanted)}, got columns ${shownList(header)}${didYouMean(wanted, header)}`,
  );
}

/** A column's values as text: dates and time stamps as ISO (a day alone at midnight), everything else cast. */
export function textOf(column: SourceColumn): string {
  const name = quoteIdentifier(column.name);
  if (column.sqlType === 'VARCHAR') return name;
  // a JSON field of mixed types ("oops" among numbers) is DuckDB's JSON type: its scalar, not its JSON text
  if (column.sqlType === 'JSON') return `json_extract_string(${name}, '$')`;
  if (column.sqlType === 'DATE') return `strftime(${name}, '%Y-%m-%d')`;
  if (DATE_TYPES.has(column.sqlType))
    return `CASE WHEN ${name} = date_trunc('day', ${name}) THEN strftime(${name}, '%Y-%m-%d') ELSE strftime(${name}, '%Y-%m-%dT%H:%M:%SZ') END`;
  return `CAST(${name} AS VARCHAR)`;
}

/** One `where` term with its value as prepared parameter `$index`: text compared trimmed, a typed column as its type. */
export function whereTerm(column: SourceColumn, index: number): string {
  if (column.sqlType === 'VARCHAR') return `trim(${quoteIdentifier(column.name)}) = trim($${index})`;
  if (/^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?$/.test(column.sqlType))
    return `${quoteIdentifier(column.name)} = TRY_CAST($${index} AS ${column.sqlType})`;
  return `${textOf(column)} = $${index}`;
}

/** The `where` entries as the file's columns, with their SQL terms. */
function whereTerms(where: WhereOption, columns: SourceColumn[], shownAs: string) {
  return Object.entries(where).map(([wanted, value], i) => {
    const column = columns.find(
      (c) =>
        c.name ===
        matchColumn(
          wanted,
          columns.map((c) => c.name),
          shownAs,
        ),
    )!;
    return { key: wanted, column, value: String(value), term: whereTerm(column, i + 1) };
  });
}

/** Applies `where`; when it keeps no row, names the first entry that left none and the values its column holds there. */
async function selectWhere(connection: DuckDBConnection, where: WhereOption, columns: SourceColumn[], shownAs: string) {
  const terms = whereTerms(where, columns, shownAs);
  const condition = (count: number) =>
    terms
      .slice(0, count)
      .map((t) => t.term)
      .join(' AND ') || 'true';
  const values = terms.map((t) => t.value);
  const kept = async (count: number) =>
    Number(
      (
        await connection.runAndReadAll(`SELECT count(*) FROM data WHERE ${condition(count)}`, values.slice(0, count))
      ).getRows()[0][0],
    );
  if ((await kept(terms.length)) > 0) return condition(terms.length);
  let failing = 0;
  while ((await kept(failing + 1)) > 0) failing++;
  const { key, column, value } = terms[failing];
  const text = textOf(column);
  const sql = `SELECT v FROM (SELECT trim(${text}) AS v, min(rowid) AS first FROM data WHERE ${condition(failing)} AND ${quoteIdentifier(column.name)} IS NOT NULL GROUP BY v) ORDER BY first`;
  const found = (await connection.runAndReadAll(sql, values.slice(0, failing))).getRows().map((r) => String(r[0]));
  throw new DataError(`${shownAs}: where.${key}: expected one of ${shownList(found)}, got ${quoteData(value)}`);
}

async function readColumnsAsText(connection: DuckDBConnection, options: ReadTextColumnsOptions, format: TableFormat) {
  const shownAs = options.shownAs ?? options.file;
  const columns = await describe(connection, 'data');
  const header = columns.map((c) => c.name);
  const names = (options.columns ?? header).map((wanted) => matchColumn(wanted, header, shownAs));
  const rowsRead = Number((await connection.runAndReadAll('SELECT count(*) FROM data')).getRows()[0][0]);
  const where = options.where && Object.keys(options.where).length ? options.where : undefined;
  const condition = where && rowsRead > 0 ? await selectWhere(connection, where, columns, shownAs) : 'true';
  const selected = names.map((name) => `coalesce(${textOf(columns.find((c) => c.name === name)!)}, '')`);
  const sql = `SELECT rowid${selected.map((s) => `, ${s}`).join('')} FROM data WHERE ${condition} ORDER BY rowid`;
  const rows = (await connection.runAndReadAll(sql, where ? Object.values(where).map(String) : [])).getRows();
  const cells = names.map((_name, c) => rows.map((row) => String(row[c + 1])));
  const filePositions = rowPositions(options.file, format);
  const rowIds = rows.map((row) => Number(row[0]));
  return { format, header, names, cells, rowsRead, position: (row: number) => filePositions(rowIds[row]) };
}

/**
 * Reads some columns of a CSV, TSV, JSON, JSON Lines, Parquet or Arrow file as text, through the
 * same reader as readTable (format told by content, DuckDB, Arrow through apache-arrow): for a
 * loader that parses its own values (the series loader's numbers and dates), with `where` applied
 * in SQL (values as parameters) and each kept row's place in the file for its messages.
 */
export async function readTextColumns(options: ReadTextColumnsOptions): Promise<TextColumns> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const format = await openFile(connection, options.file, options.shownAs ?? options.file, {
      located: options.located,
      allText: true,
    });
    return await readColumnsAsText(connection, options, format);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
