import { extname } from 'node:path';
import { DataError } from '@stagegraph/pipeline';

/** The table files the load stage reads, by extension. */
export const TABLE_FORMATS = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.txt': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
} as const;

export type TableFormat = (typeof TABLE_FORMATS)[keyof typeof TABLE_FORMATS];

/** The file's format from its extension (case-insensitive), or a DataError that lists the known ones. */
export function tableFormat(file: string, shownAs = file): TableFormat {
  const extension = extname(file).toLowerCase();
  const format = TABLE_FORMATS[extension as keyof typeof TABLE_FORMATS];
  if (!format)
    throw new DataError(
      `${shownAs}: expected a table file (${Object.keys(TABLE_FORMATS).join(', ')}), got ${extension ? `"${extension}"` : 'no extension'}`,
    );
  return format;
}

/**
 * DuckDB's reader for a format, called with the path as the prepared parameter $1 (never pasted into
 * the SQL). JSON is read as records (an array of objects or one object per line).
 */
export const DUCKDB_READERS: Record<Exclude<TableFormat, 'arrow'>, string> = {
  csv: 'read_csv($1)',
  tsv: "read_csv($1, delim = '\\t')",
  json: "read_json($1, format = 'array', records = true)",
  jsonl: "read_json($1, format = 'newline_delimited', records = true)",
  parquet: 'read_parquet($1)',
};
