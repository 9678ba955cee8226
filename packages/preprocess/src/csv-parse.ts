import { DataError } from '@stagegraph/pipeline';
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvTable {
  header: string[];
  /** Data rows; `line` is the 1-based line number in the file, for messages. */
  rows: { line: number; cells: string[] }[];
  delimiter: string;
}

/**
 * RFC 4180 CSV through csv-parse (the csv project's parser): quoted fields with delimiters, quotes
 * ("") and line breaks inside, CRLF or LF line ends, a leading BOM, blank lines skipped, rows of any
 * length (the loader names a missing cell). The delimiter is `,` unless the header holds more `;` or tabs.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (count(firstLine, d) > count(firstLine, best) ? d : best),
    ',',
  );
  const options = { delimiter, relax_column_count: true, relax_quotes: true, trim: true } as const; // trim: spaces around a field or its quotes are not data
  let records: string[][];
  try {
    records = parse(body, options);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? unfinishedRecordLine(body, options)
        : ((error as CsvError & { lines?: number }).lines ?? 0);
    throw new DataError(
      `${file}: line ${at}: ${error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'expected a closing quote, got end of file' : error.message}`,
    );
  }
  // line numbers counted here, not by csv-parse's per-record callback, which doubles the parse time
  const kept: { line: number; cells: string[] }[] = []; // blank lines dropped
  let line = 1;
  for (const record of records) {
    if (record.length > 1 || record[0] !== '') kept.push({ line, cells: record });
    line += 1;
    for (const cell of record) if (cell.includes('\n') || cell.includes('\r')) line += lineBreaks(cell);
  }
  if (kept.length === 0) throw new DataError(`${file}: expected a header line and data rows, got an empty file`);
  const [header, ...rows] = kept;
  return { header: header.cells.map((name) => name.trim()), rows, delimiter };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Line breaks in a field: CRLF, LF or CR each one. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/** Where the record csv-parse could not finish (an unclosed quote) began: the line after the last one it finished. */
function unfinishedRecordLine(body: string, options: object): number {
  let line = 1;
  try {
    parse(body, {
      ...options,
      on_record: (record: string[]) => {
        line += 1;
        for (const cell of record) line += lineBreaks(cell);
        return record;
      },
    });
  } catch {
    // the same error again: `line` is where the unfinished record starts, or a blank line before it
  }
  const lines = body.split(/\r\n|\n|\r/);
  while (line <= lines.length && lines[line - 1].trim() === '') line++;
  return line;
}
