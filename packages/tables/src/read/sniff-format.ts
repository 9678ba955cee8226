import { open } from 'node:fs/promises';
import { DataError } from '@stagegraph/pipeline';
import type { TableFormat } from './file-format.js';

/** Bytes read from the start of a file to tell its format: enough for a header line or a first record. */
const HEAD_BYTES = 64 * 1024;

export const EXPECTED_FORMATS = 'CSV, JSON, Parquet or Arrow';

/** Files people hand a table loader by mistake, by their first bytes, and what to say about them. */
const SIGNATURES: { magic: number[]; looks: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], looks: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], looks: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], looks: 'a GIF image' },
  { magic: [0x25, 0x50, 0x44, 0x46], looks: 'a PDF document' },
  { magic: [0x1f, 0x8b], looks: 'gzip-compressed data (decompress it first)' },
  { magic: [0x42, 0x5a, 0x68], looks: 'bzip2-compressed data (decompress it first)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], looks: 'xz-compressed data (decompress it first)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], looks: 'zstd-compressed data (decompress it first)' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], looks: 'an old Office file (an Excel .xls workbook? save it as CSV)' },
  { magic: [...Buffer.from('SQLite format 3\0')], looks: 'an SQLite database' },
  { magic: [...Buffer.from('FEA1')], looks: 'a Feather v1 file (save it again as Arrow IPC, Feather v2)' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], looks: 'an executable (ELF)' },
];

const startsWith = (head: Buffer, magic: readonly number[]) =>
  head.length >= magic.length && magic.every((byte, i) => head[i] === byte);

/** A ZIP archive: an Excel workbook (.xlsx) names its parts in the first entry. */
function zipLooks(head: Buffer): string {
  const text = head.toString('latin1');
  if (text.includes('xl/') || text.includes('[Content_Types].xml'))
    return text.includes('xl/') ? 'an Excel workbook (.xlsx; save it as CSV)' : 'an Office document (a ZIP archive)';
  return 'a ZIP archive (unzip it first)';
}

/** Bytes no text file holds: NUL, or more than 10% control characters other than tab, line breaks and form feed. */
function isBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  let control = 0;
  for (const byte of head)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  return control > head.length * 0.1;
}

const hexOf = (head: Buffer) => [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** JSON that starts with `{`: one record per line (JSON Lines), or a single object, which holds no records. */
function objectFormat(text: string): TableFormat | string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const isObject = (line: string) => {
    try {
      const value: unknown = JSON.parse(line);
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    } catch {
      return false;
    }
  };
  // a first line past the bytes read is taken as one long record: DuckDB's reader says if it is not
  if (lines.length >= 2 && (isObject(lines[0]) || lines[0].length >= HEAD_BYTES / 2) && lines[1].trim().startsWith('{'))
    return 'jsonl';
  return 'a JSON object, not records (an array of objects, or one object per line)';
}

/** A text file's format: JSON by its first character, else CSV, tab-separated when the header has more tabs than commas. */
function textFormat(head: Buffer): TableFormat | string {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '') return 'a file of blank lines';
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return objectFormat(start);
  const lower = start.slice(0, 100).toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) return 'an HTML page';
  if (lower.startsWith('<?xml') || lower.startsWith('<')) return 'an XML or HTML document';
  const header = start.slice(0, start.search(/\r?\n|$/));
  return header.split('\t').length > header.split(',').length ? 'tsv' : 'csv';
}

/** What the first bytes of a file say it is: a format the reader reads, or words for what it looks like. */
export function formatOfHead(head: Buffer): TableFormat | string {
  if (head.length === 0) return 'an empty file';
  if (startsWith(head, [...Buffer.from('PAR1')])) return 'parquet';
  // Arrow IPC: the file format's magic, or a stream's first message (a continuation marker)
  if (startsWith(head, [...Buffer.from('ARROW1')]) || startsWith(head, [0xff, 0xff, 0xff, 0xff])) return 'arrow';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return zipLooks(head);
  const known = SIGNATURES.find(({ magic }) => startsWith(head, magic));
  if (known) return known.looks;
  if (isBinary(head)) return `binary data (first bytes ${hexOf(head)})`;
  return textFormat(head);
}

const FORMATS: readonly string[] = ['csv', 'tsv', 'json', 'jsonl', 'parquet', 'arrow'];

/**
 * A table file's format from its content, not its name: Parquet and Arrow by their magic bytes, JSON
 * by its first character (an array of records, or one record per line), other text as CSV or TSV.
 * Anything else (an image, a workbook, compressed or binary data) is `expected CSV, JSON, Parquet or
 * Arrow, got <what it looks like>`. The caller has checked the path is a readable file.
 */
export async function sniffFormat(file: string, shownAs = file): Promise<TableFormat> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const format = formatOfHead(head);
  if (!FORMATS.includes(format)) throw new DataError(`${shownAs}: expected ${EXPECTED_FORMATS}, got ${format}`);
  return format as TableFormat;
}
