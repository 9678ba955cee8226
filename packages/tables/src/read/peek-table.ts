import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableFormat } from './file-format.js';
import { openFile, readFailure } from './open-file.js';
import { textOf, whereTerm } from './read-text-columns.js';
import { describe, whereClause, type SourceColumn } from './select-rows.js';
import { quoteIdentifier } from './sql.js';

export interface PeekTableOptions {
  /** The file (already resolved). */
  file: string;
  /** How errors about the file itself (missing, of another format) name it: with where it resolved. */
  located: string;
  /**
   * Read as the series loader does: CSV cells as text, a `where` value compared trimmed as text.
   * Otherwise as tables.load does: types inferred, a value cast to its column's type.
   */
  asText?: boolean;
}

/** A cheap look at a table file: queries on a view over it, each reading only what it needs. */
export interface TablePeek {
  format: TableFormat;
  /** Every column, in the file's order, with DuckDB's type for it. */
  columns: SourceColumn[];
  /**
   * The named columns (the file's names) of the first `rows` rows whose columns hold `where`'s
   * values (keys the file's names), as text ('' for a missing value): one list per column.
   */
  firstRows(names: string[], rows: number, where?: Record<string, string>): Promise<string[][]>;
  /** Whether some row holds the value in the column (compared as the loader compares it): reads up to the first that does. */
  holds(name: string, value: string): Promise<boolean>;
  /** Up to `limit` distinct values of the column, as text, trimmed, without missing ones. */
  values(name: string, limit: number): Promise<string[]>;
}

/** `where` as SQL over the columns, with its values as prepared parameters, as the loader applies it. */
function condition(where: Record<string, string>, columns: SourceColumn[], asText: boolean): [string, string[]] {
  const entries = Object.entries(where);
  if (entries.length === 0) return ['true', []];
  if (!asText) {
    const [clause, values] = whereClause(where, columns);
    return [clause.replace(/^ WHERE /, ''), values];
  }
  const terms = entries.map(([name], i) =>
    whereTerm(
      columns.find((c) => c.name === name)!,
      i + 1,
    ),
  );
  return [terms.join(' AND '), entries.map(([, value]) => value)];
}

function peekOf(connection: DuckDBConnection, format: TableFormat, columns: SourceColumn[], options: PeekTableOptions) {
  const column = (name: string) => columns.find((c) => c.name === name)!;
  // a view reads the file at each query: a bad line past the first rows fails here, said as openFile says it
  const rowsOf = async (sql: string, values: string[] = []) => {
    try {
      return (await connection.runAndReadAll(sql, values)).getRows();
    } catch (error) {
      throw await readFailure(error, options.file, format, options.located, options.located);
    }
  };
  const peek: TablePeek = {
    format,
    columns,
    async firstRows(names, rows, where = {}) {
      const [clause, values] = condition(where, columns, !!options.asText);
      const selected = names.map((name) => `coalesce(${textOf(column(name))}, '')`).join(', ');
      const found = await rowsOf(`SELECT ${selected} FROM data WHERE ${clause} LIMIT ${Math.floor(rows)}`, values);
      return names.map((_name, c) => found.map((row) => String(row[c])));
    },
    async holds(name, value) {
      const [clause, values] = condition({ [name]: value }, columns, !!options.asText);
      return (await rowsOf(`SELECT 1 FROM data WHERE ${clause} LIMIT 1`, values)).length > 0;
    },
    async values(name, limit) {
      const text = `trim(${textOf(column(name))})`;
      const sql = `SELECT DISTINCT ${text} FROM data WHERE ${quoteIdentifier(name)} IS NOT NULL LIMIT ${Math.floor(limit)}`;
      return (await rowsOf(sql)).map((row) => String(row[0]));
    },
  };
  return peek;
}

/**
 * Opens a CSV, TSV, JSON, JSON Lines, Parquet or Arrow file as the loaders do (format told by its
 * content, the same DuckDB readers), but as a view: `use` asks for the header, the first rows or
 * whether a value is there, and only that is read (Arrow IPC, which DuckDB reads only with an
 * extension, is copied whole). Refuses a file it cannot read as openFile does.
 */
export async function peekTable<T>(options: PeekTableOptions, use: (peek: TablePeek) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const format = await openFile(connection, options.file, options.located, {
      located: options.located,
      allText: options.asText,
      view: true,
    });
    return await use(peekOf(connection, format, await describe(connection, 'data'), options));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
