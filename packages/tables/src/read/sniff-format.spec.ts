import { describe, expect, it } from '@jest/globals';
import { formatOfHead } from './sniff-format.js';
import { csvRecordLines } from './row-positions.js';

const text = (s: string) => Buffer.from(s);

describe('formatOfHead: a file is read by what it holds, not by its name', () => {
  it.each([
    ['CSV', 'date,close\n2020-01-01,1\n', 'csv'],
    ['CSV with semicolons (DuckDB finds the delimiter)', 'date;close\n2020-01-01;1\n', 'csv'],
    ['TSV', 'date\tclose\n2020-01-01\t1\n', 'tsv'],
    ['TSV with a comma in a value', 'date\tname\tclose\n2020-01-01\tSmith, J\t1\n', 'tsv'],
    ['CSV after a byte-order mark', '\uFEFFdate,close\n', 'csv'],
    ['a JSON array of records', '  [{"a": 1}, {"a": 2}]', 'json'],
    ['JSON Lines', '{"a": 1}\n{"a": 2}\n', 'jsonl'],
    [
      'a JSON object',
      '{\n  "a": [1, 2]\n}\n',
      'a JSON object, not records (an array of objects, or one object per line)',
    ],
    ['an HTML page', '<!DOCTYPE html><html></html>', 'an HTML page'],
    ['an empty file', '', 'an empty file'],
    ['blank lines', '\n\n  \n', 'a file of blank lines'],
  ])('%s', (_what, content, format) => {
    expect(formatOfHead(text(content))).toBe(format);
  });

  it.each([
    ['Parquet', [...Buffer.from('PAR1'), 0x15, 0x04], 'parquet'],
    ['an Arrow IPC file', [...Buffer.from('ARROW1'), 0, 0], 'arrow'],
    ['an Arrow IPC stream', [0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0], 'arrow'],
    ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG image'],
    ['gzip', [0x1f, 0x8b, 0x08, 0], 'gzip-compressed data (decompress it first)'],
    ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04, 0x14, 0], 'a ZIP archive (unzip it first)'],
    [
      'an old Excel workbook',
      [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1],
      'an old Office file (an Excel .xls workbook? save it as CSV)',
    ],
    ['other binary data', [0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0], 'binary data (first bytes 00 61 73 6d 01 00 00 00)'],
  ])('%s', (_what, bytes, format) => {
    expect(formatOfHead(Buffer.from(bytes))).toBe(format);
  });
});

describe('csvRecordLines', () => {
  it('gives the line each record starts on: blank lines skipped, quoted line breaks inside a record, CRLF', () => {
    expect(csvRecordLines('a,b\n1,2\n\n"x\ny",3\r\n4,"5 ""q"""\n')).toEqual([1, 2, 4, 6]);
  });
});
