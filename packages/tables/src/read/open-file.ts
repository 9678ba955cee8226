import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DataError, notAFile, unreadable } from '@stagegraph/pipeline';
import { DUCKDB_READERS, tableFormat, type TableFormat } from './file-format.js';

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

/** Refuses a missing file, a directory or a FIFO with one line, before DuckDB sees it. */
async function checkReadable(file: string, shownAs: string, format: TableFormat): Promise<void> {
  try {
    const kind = notAFile(await stat(file));
    if (kind) throw new DataError(`${shownAs}: expected ${EXPECTED[format]}, got ${kind}`);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `${shownAs}: expected ${EXPECTED[format]}, got ${unreadable((error as NodeJS.ErrnoException).code)}`,
    );
  }
}

/**
 * Reads the file into the temporary table `data` (once: the statistics and the columns then read
 * DuckDB's copy, not the file again). Arrow IPC goes through apache-arrow, as DuckDB reads it only
 * with an extension it would have to download.
 */
export async function openFile(connection: DuckDBConnection, file: string, shownAs: string): Promise<void> {
  const format = tableFormat(file, shownAs);
  await checkReadable(file, shownAs, format);
  try {
    if (format === 'arrow') {
      const { loadArrowFile } = await import('./arrow-file.js');
      await loadArrowFile(connection, file, 'data');
    } else {
      await connection.run(`CREATE TEMP TABLE data AS SELECT * FROM ${DUCKDB_READERS[format]}`, [file]);
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${shownAs}: expected ${EXPECTED[format]}, got an error reading it: ${shortMessage(error)}`);
  }
}
