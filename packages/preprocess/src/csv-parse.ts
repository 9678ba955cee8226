import { DataError } from '@stagegraph/pipeline';

export interface CsvTable {
  header: string[];
  /** Data rows; `line` is the 1-based line number in the file, for messages. */
  rows: { line: number; cells: string[] }[];
  delimiter: string;
}

/**
 * RFC 4180 CSV: quoted fields with delimiters, quotes ("") and line breaks inside, CRLF or LF line
 * ends, a leading BOM. The delimiter is `,` unless the header holds more `;` or tabs.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) => (count(firstLine, d) > count(firstLine, best) ? d : best), ',');
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      cells.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      cells.push(field);
      if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: recordLine, cells });
      cells = [];
      field = '';
      recordLine = ++line;
    } else field += char;
  }
  if (quoted) throw new DataError(`${file}: line ${recordLine}: expected a closing quote, got end of file`);
  cells.push(field);
  if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: recordLine, cells });
  if (records.length === 0) throw new DataError(`${file}: expected a header line and data rows, got an empty file`);
  const [header, ...rows] = records;
  return { header: header.cells.map((name) => name.trim()), rows, delimiter };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
