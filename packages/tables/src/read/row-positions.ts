import { readFileSync } from 'node:fs';
import type { TableFormat } from './file-format.js';

/**
 * The line each record of a CSV or TSV file starts on (the header is record 0), as DuckDB counts
 * records: blank lines skipped, a quoted field may span lines; and, when the file ends inside quotes,
 * the line of the record that quote left open. Only for messages: it does not parse fields, it
 * follows quotes to know which line breaks end a record.
 */
export function csvQuoteScan(text: string): { starts: number[]; unclosedAt?: number } {
  const starts: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atRecordStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes; // an escaped quote ("") toggles twice
    const lineBreak = char === '\n' || (char === '\r' && text[i + 1] !== '\n');
    if (atRecordStart && !lineBreak && char !== '\r') {
      starts.push(line);
      atRecordStart = false;
    }
    if (lineBreak) {
      line++;
      if (!inQuotes) atRecordStart = true;
    }
  }
  return inQuotes ? { starts, unclosedAt: starts.at(-1) } : { starts };
}

/** The line each record of a CSV or TSV file starts on (csvQuoteScan). */
export const csvRecordLines = (text: string): number[] => csvQuoteScan(text).starts;

/** The line each non-blank line of a JSON Lines file is on. */
function jsonLines(text: string): number[] {
  return text.split(/\r?\n/).flatMap((line, i) => (line.trim() === '' ? [] : [i + 1]));
}

/**
 * Where the file's record `index` (0-based, in file order, header not counted) is, for messages: its
 * line in a text file of one record per line (CSV, TSV, JSON Lines), else its 1-based row. The file is
 * read again only when a message asks, and once.
 */
export function rowPositions(file: string, format: TableFormat): (index: number) => string {
  let lines: number[] | undefined;
  const linesOf = () => {
    if (lines) return lines;
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    lines = format === 'jsonl' ? jsonLines(text) : csvRecordLines(text).slice(1);
    return lines;
  };
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') return (index) => `row ${index + 1}`;
  return (index) => {
    const line = linesOf()[index];
    return line === undefined ? `row ${index + 1}` : `line ${line}`;
  };
}
