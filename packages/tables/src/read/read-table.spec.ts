import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance } from '@duckdb/node-api';
import { TABLE, type TableColumn } from '@stagegraph/contracts';
import { DataError, resolveDataPath } from '@stagegraph/pipeline';
import { readTable } from './read-table.js';

const data = (file: string) => resolveDataPath(`package:vega-datasets/data/${file}`, process.cwd());
const column = (columns: TableColumn[], name: string) => columns.find((c) => c.name === name)!;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tables-read-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = join(dir, 'generated.parquet').replaceAll("'", "''");
  await connection.run(
    `COPY (SELECT range AS id, range % 7 AS k, 'v' || (range % 3) AS s, range % 2 = 0 AS even,
             CASE WHEN range % 10 = 0 THEN NULL ELSE range * 0.5 END AS y
           FROM range(5000)) TO '${file}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTable', () => {
  it('forPrediction: rows without the label, every column kept (one value, all missing, unique names), nothing folded, types forced', async () => {
    const file = join(dir, 'new-rows.csv');
    const names = Array.from({ length: 30 }, (_, i) => `car ${i}`);
    writeFileSync(
      file,
      'Name,Cylinders,Horsepower,Origin,Note\n' +
        names.map((name, i) => `${name},4,${i === 3 ? '' : 90 + i},${i === 5 ? 'Mars' : `O${i}`},`).join('\n') +
        '\n',
    );
    const table = await readTable({
      file,
      label: 'Miles_per_Gallon',
      forPrediction: true,
      maxCategories: 2,
      columns: { types: { Horsepower: 'number', Origin: 'category', Displacement: 'number' } },
    });
    expect(TABLE.check?.(table)).toBeUndefined();
    expect(table.label).toBeUndefined();
    expect(table.rows).toBe(30);
    expect(table.dropped).toEqual([]);
    expect(table.columns.map((c) => c.name)).toEqual(['Name', 'Cylinders', 'Horsepower', 'Origin', 'Note']);
    expect(column(table.columns, 'Name')).toMatchObject({ type: 'category', distinct: 30 });
    expect(column(table.columns, 'Origin')).toMatchObject({ type: 'category', distinct: 30 });
    expect(column(table.columns, 'Origin')).not.toHaveProperty('otherCode');
    expect(column(table.columns, 'Horsepower')).toMatchObject({ type: 'number', missing: 1 });
    // a column the preparation types but the file lacks is applyPreparation's to name, not the reader's
    writeFileSync(file, 'Horsepower\nfast\n');
    await expect(
      readTable({ file, label: 'y', forPrediction: true, columns: { types: { Horsepower: 'number' } } }),
    ).rejects.toThrow(
      new DataError(`${file}: expected column "Horsepower" to hold number values (as in training), got "fast"`),
    );
    writeFileSync(file, 'Horsepower\n');
    await expect(readTable({ file, label: 'y', forPrediction: true })).rejects.toThrow(
      new DataError(`${file}: expected rows to predict, got none`),
    );
  });

  it('reads cars.json: Name an identifier, Origin a category, Year a date, 8 rows without a label dropped', async () => {
    const lines: string[] = [];
    const table = await readTable({ file: data('cars.json'), label: 'Miles_per_Gallon', log: (l) => lines.push(l) });
    expect(TABLE.check?.(table)).toBeUndefined();
    expect(table.source).toMatchObject({ rowsRead: 406, labelMissing: 8 });
    expect(table.rows).toBe(398);
    expect(table.dropped).toEqual([{ name: 'Name', reason: expect.stringMatching(/^an identifier/) }]);
    const origin = column(table.columns, 'Origin');
    expect(origin).toMatchObject({ type: 'category', categories: ['USA', 'Japan', 'Europe'] });
    expect(column(table.columns, 'Year')).toMatchObject({ type: 'date', distinct: 12 });
    expect(column(table.columns, 'Horsepower')).toMatchObject({ type: 'number', missing: 6 });
    expect(column(table.columns, 'Cylinders').type).toBe('number'); // few distinct integers stay numbers
    // the first car is a 1970 chevrolet from the USA
    expect((column(table.columns, 'Year') as { values: Float64Array }).values[0]).toBe(Date.UTC(1970, 0, 1));
    expect(lines).toContain('Horsepower: number, 6 missing, 93 distinct');
    expect(lines.some((l) => l.startsWith('Name: dropped, an identifier'))).toBe(true);
  });

  it('reads seattle-weather.csv with a 5-class label', async () => {
    const table = await readTable({ file: data('seattle-weather.csv'), label: 'weather' });
    expect(column(table.columns, 'weather')).toMatchObject({ type: 'category', distinct: 5 });
    expect(column(table.columns, 'date').type).toBe('date');
    expect(table.rows).toBe(1461);
  });

  it('reads a Parquet file: booleans, missing labels, text categories', async () => {
    const table = await readTable({ file: join(dir, 'generated.parquet'), label: 'y' });
    expect(TABLE.check?.(table)).toBeUndefined();
    expect(table.source).toEqual({ file: join(dir, 'generated.parquet'), rowsRead: 5000, labelMissing: 500 });
    const even = column(table.columns, 'even') as { values: Uint8Array };
    expect(Array.from(even.values.slice(0, 3))).toEqual([0, 1, 0]); // rows 1, 2, 3 (row 0 had no label)
    expect(column(table.columns, 's')).toMatchObject({ type: 'category', distinct: 3 });
  });

  it('folds a category beyond maxCategories into "other", and applies where and query', async () => {
    const folded = await readTable({
      file: data('cars.json'),
      label: 'Origin',
      maxCategories: 2,
      columns: { types: { Cylinders: 'category' } },
    });
    const cylinders = column(folded.columns, 'Cylinders');
    expect(cylinders).toMatchObject({ type: 'category', categories: ['4', '8', '(other)'], otherCode: 2, distinct: 5 });
    const usa = await readTable({
      file: data('cars.json'),
      label: 'Miles_per_Gallon',
      where: { Origin: 'USA', Cylinders: 8 },
    });
    expect(usa.source.rowsRead).toBe(108);
    const query = await readTable({
      file: data('cars.json'),
      label: 'Origin',
      query: "SELECT * FROM data WHERE Origin <> 'USA'",
    });
    expect(query.rows).toBe(152);
  });

  it('refuses a label of a type no model reads (a list) in one line, before the table is made', async () => {
    const file = join(dir, 'list-label.json');
    writeFileSync(file, '[{"a": 1, "b": [1, 2]}, {"a": 2, "b": [3]}, {"a": 3, "b": [4, 5]}]');
    await expect(readTable({ file, label: 'b' })).rejects.toThrow(
      /^params\.label: expected a column of numbers, text, booleans or dates to predict, got "b", /,
    );
  });

  it("lets a query read the file's rows and nothing else: no other file read or written, one statement", async () => {
    const written = join(dir, 'written.csv');
    const attempts: [string, RegExp][] = [
      [`SELECT * FROM data; COPY (SELECT 1) TO '${written}'`, /expected one SELECT .*got 2 statements/],
      [
        `SELECT * FROM read_csv('${data('seattle-weather.csv')}')`,
        /params\.query: .*file system operations are disabled/,
      ],
      [`COPY (SELECT * FROM data) TO '${written}'`, /params\.query: /],
    ];
    for (const [query, refusal] of attempts) {
      const read = readTable({ file: data('cars.json'), label: 'Origin', query });
      await expect(read).rejects.toThrow(DataError);
      await expect(read).rejects.toThrow(refusal);
    }
    expect(() => readFileSync(written)).toThrow(/ENOENT/);
  });

  it.each([
    [
      'a label that is not a column',
      { file: 'cars.json', label: 'miles_per_gallon' },
      /params\.label: .*got "miles_per_gallon" \(did you mean "Miles_per_Gallon"\?\)/,
    ],
    [
      'an unknown where column',
      { file: 'cars.json', label: 'Origin', where: { origin: 'USA' } },
      /params\.where: .*did you mean "Origin"/,
    ],
    [
      'a forced type that does not fit',
      { file: 'cars.json', label: 'Origin', columns: { types: { Name: 'number' } } },
      /params\.columns\.types\.Name: expected number values, got "chevrolet chevelle malibu"/,
    ],
  ])('refuses %s', async (_what, options, message) => {
    const attempt = readTable({ ...options, file: data(options.file) } as Parameters<typeof readTable>[0]);
    await expect(attempt).rejects.toThrow(DataError);
    await expect(attempt).rejects.toThrow(message);
  });

  it.each([
    ['a file with no rows', 'empty.csv', 'a,b\n', /empty\.csv: expected rows, got none/],
    [
      'a JSON object, not records',
      'object.json',
      '{"a": 1}',
      /object\.json: expected CSV, JSON, Parquet or Arrow, got a JSON object, not records/,
    ],
    ['a JSON array of numbers', 'numbers.json', '[1, 2, 3]', /numbers\.json: expected a JSON array of records/],
    [
      'an Excel workbook, by its content',
      'table.csv',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('\0\0[Content_Types].xml xl/workbook.xml')]),
      /table\.csv: expected CSV, JSON, Parquet or Arrow, got an Excel workbook \(\.xlsx; save it as CSV\)/,
    ],
    [
      'CSV named .xlsx, read as CSV',
      'rows.xlsx',
      'b\n1\n',
      /params\.label: expected one of the columns \(b\), got "a"/,
    ],
  ])('refuses %s', async (_what, name, content, message) => {
    writeFileSync(join(dir, name), content);
    await expect(readTable({ file: join(dir, name), label: 'a' })).rejects.toThrow(message);
  });

  it('refuses a truncated Parquet file and a missing file, naming them', async () => {
    const bytes = readFileSync(join(dir, 'generated.parquet'));
    writeFileSync(join(dir, 'truncated.parquet'), bytes.subarray(0, bytes.length >> 1));
    await expect(readTable({ file: join(dir, 'truncated.parquet'), label: 'y' })).rejects.toThrow(
      /truncated\.parquet: expected a Parquet file, got an error reading it: .*magic bytes/,
    );
    await expect(readTable({ file: join(dir, 'missing.csv'), label: 'y' })).rejects.toThrow(
      /missing\.csv: .*got no such file/,
    );
  });
});
