import { describe, expect, it } from '@jest/globals';
import { parseCsv } from './csv-parse.js';

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, quotes and line breaks, CRLF and a BOM', () => {
    const table = parseCsv(
      '\uFEFFDate,Name,Close\r\n2020-01-02,"A, ""B""",1.5\r\n2020-01-03,"two\nlines",2\r\n',
      'f.csv',
    );
    expect(table.header).toEqual(['Date', 'Name', 'Close']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['2020-01-02', 'A, "B"', '1.5'] },
      { line: 3, cells: ['2020-01-03', 'two\nlines', '2'] },
    ]);
  });

  it('detects a semicolon delimiter and skips blank lines', () => {
    const table = parseCsv('Date;Close\n\n2020-01-02;3\n', 'f.csv');
    expect(table.delimiter).toBe(';');
    expect(table.rows).toEqual([{ line: 3, cells: ['2020-01-02', '3'] }]);
  });

  it('numbers rows by their first line when quoted fields hold CRLF, and trims spaces around quotes', () => {
    const table = parseCsv('a,b\r\n"x\r\ny\r\nz",1\r\n\r\n 7 , "8" \r\n', 'f.csv');
    expect(table.rows).toEqual([
      { line: 2, cells: ['x\r\ny\r\nz', '1'] },
      { line: 6, cells: ['7', '8'] },
    ]);
  });

  it('says where a quoted field is closed too early', () => {
    expect(() => parseCsv('a,b\n"x"y,2\n', 'f.csv')).toThrow(
      'f.csv: line 2: Invalid Closing Quote: found non trimable byte after quote at line 2',
    );
  });

  it('rejects an empty file and an unclosed quote', () => {
    expect(() => parseCsv('', 'f.csv')).toThrow('f.csv: expected a header line and data rows, got an empty file');
    expect(() => parseCsv('a,b\n"x,1\n', 'f.csv')).toThrow('f.csv: line 2: expected a closing quote, got end of file');
    expect(() => parseCsv('a,b\n"p\r\nq",1\n\n"x,1\n', 'f.csv')).toThrow(
      'f.csv: line 5: expected a closing quote, got end of file',
    );
  });
});
