import { readFile, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DataError, notAFile, unreadable } from '@stagegraph/pipeline';
import { DUCKDB_READERS, type TableFormat } from './file-format.js';
import { csvQuoteScan } from './row-positions.js';
import { EXPECTED_FORMATS, sniffFormat } from './sniff-format.js';

/** DuckDB's message, short: its first line, without the "Invalid Input Error:"-like prefix repeated twice. */
export function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

const EXPECTED: Record<TableFormat, string> = {
  csv: 'a CSV file with a header line',
  tsv: 'a tab-separated file with a header line',
  json: 'a JSON array of records ([{"column": value, ...}, ...])',
  jsonl: 'JSON Lines (one {"column": value, ...} record per line)',
  parquet: 'a Parquet file',
  arrow: 'an Arrow IPC file',
};

/** Where a CSV's unclosed quote starts (the line of its record), for DuckDB's "could not detect the dialect". */
async function unclosedQuoteLine(file: string): Promise<number | undefined> {
  return csvQuoteScan((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')).unclosedAt;
}

/** Refuses a missing file, a directory or a FIFO with one line, before anything reads it. */
async function checkReadable(file: string, located: string): Promise<void> {
  const expected = `a ${EXPECTED_FORMATS} file`;
  try {
    const kind = notAFile(await stat(file));
    if (kind) throw new DataError(`${located}: expected ${expected}, got ${kind}`);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${located}: expected ${expected}, got ${unreadable((error as NodeJS.ErrnoException).code)}`);
  }
}

export interface OpenFileOptions {
  /** How errors about the file itself (missing, unreadable, of another format) name it: with where it resolved. */
  located?: string;
  /** CSV and TSV cells as the text they hold, every column VARCHAR (the series loader parses numbers and dates itself). */
  allText?: boolean;
  /**
   * `data` as a view over the file rather than a copy of it: each query reads what it needs (a
   * Parquet file's schema, a CSV's first lines), for a cheap look. Arrow IPC is still copied.
   */
  view?: boolean;
}

/** A read of the file that failed: its unclosed quote's line, else DuckDB's message under what was expected. */
export async function readFailure(error: unknown, file: string, format: TableFormat, shownAs: string, located: string) {
  if (error instanceof DataError) return error;
  const unclosed = format === 'csv' || format === 'tsv' ? await unclosedQuoteLine(file) : undefined;
  if (unclosed !== undefined)
    return new DataError(`${shownAs}: line ${unclosed}: expected a closing quote, got end of file`);
  return new DataError(`${located}: expected ${EXPECTED[format]}, got an error reading it: ${shortMessage(error)}`);
}

/**
 * DuckDB's reader for the format; CSV as text when asked: the header line a series file always has,
 * RFC 4180 quotes (an unclosed one is an error, not a guess at another dialect), short rows padded
 * (their missing cells named by the loader), read in one thread (padding and quoted line breaks need it).
 */
const readerFor = (format: Exclude<TableFormat, 'arrow'>, allText: boolean) =>
  allText && (format === 'csv' || format === 'tsv')
    ? `read_csv($1, all_varchar = true, header = true, null_padding = true, parallel = false, quote = '"', escape = '"'${format === 'tsv' ? ", delim = '\\t'" : ''})`
    : DUCKDB_READERS[format];

/**
 * Reads the file into the temporary table `data` (once: the statistics and the columns then read
 * DuckDB's copy, not the file again), its format told by its content (sniffFormat), not its name.
 * Arrow IPC goes through apache-arrow, as DuckDB reads it only with an extension it would have to download.
 */
export async function openFile(
  connection: DuckDBConnection,
  file: string,
  shownAs: string,
  options: OpenFileOptions = {},
): Promise<TableFormat> {
  const located = options.located ?? shownAs;
  await checkReadable(file, located);
  const format = await sniffFormat(file, located);
  try {
    if (format === 'arrow') {
      const { loadArrowFile } = await import('./arrow-file.js');
      await loadArrowFile(connection, file, 'data');
    } else if (options.view) {
      // a view cannot take a prepared parameter: the path goes in as an SQL string literal
      const literal = `'${file.replaceAll("'", "''")}'`;
      const reader = readerFor(format, !!options.allText).replace('$1', literal);
      await connection.run(`CREATE TEMP VIEW data AS SELECT * FROM ${reader}`);
      await connection.run('SELECT * FROM data LIMIT 1'); // the header and first rows read, or the error now
    } else {
      await connection.run(`CREATE TEMP TABLE data AS SELECT * FROM ${readerFor(format, !!options.allText)}`, [file]);
    }
  } catch (error) {
    throw await readFailure(error, file, format, shownAs, located);
  }
  return format;
}
