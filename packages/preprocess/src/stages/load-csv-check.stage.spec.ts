import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadCsvStage } from './load-csv.stage.js';

let dir: string;
const paramsPath = 'stages.load.params';
const check = (params: Record<string, unknown>) =>
  loadCsvStage.check!(loadCsvStage.params.parse(params), { workDir: dir, paramsPath });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-series-check-'));
  await writeFile(
    join(dir, 'long.csv'),
    'Date,Symbol,Close,Volume,Note\n2020-01-01,MSFT,10,100,a\n2020-01-02,MSFT,,200,b\n2020-01-01, AAPL ,20,300,c\n',
  );
  await writeFile(join(dir, 'header-only.csv'), 'Date,Close\n');
  await writeFile(
    join(dir, 'prices.jsonl'),
    '{"day": "2020-01-01", "close": 1.5}\n{"day": "2020-01-02", "close": "n/a"}\n',
  );
  await writeFile(
    join(dir, 'prices.arrow'),
    tableToIPC(tableFromArrays({ day: ['2020-01-01', '2020-01-02'], close: Float64Array.from([1, 2]) }), 'file'),
  );
  // a Parquet file far longer than the rows the check reads, its where value in the last row only
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT DATE '2000-01-01' + INTERVAL (i) DAY AS date, CASE WHEN i = 49999 THEN 'LAST' ELSE 'X' END AS ticker, i * 1.0 AS close FROM range(50000) t(i)) TO '${join(dir, 'long.parquet').replaceAll("'", "''")}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('preprocess.load-csv check (validate)', () => {
  it('passes the columns, matched ignoring case as the loader does, and where values it trims', async () => {
    expect(
      await check({
        path: 'long.csv',
        column: 'close',
        dateColumn: 'date',
        where: { symbol: 'AAPL' },
        features: ['volume'],
      }),
    ).toEqual([]);
    expect(await check({ path: 'prices.jsonl', column: 'close', dateColumn: 'day' })).toEqual([]);
    expect(await check({ path: 'prices.arrow', column: 'close', dateColumn: 'day' })).toEqual([]);
    expect(
      await check({ path: 'long.parquet', column: 'close', dateColumn: 'date', where: { ticker: 'LAST' } }),
    ).toEqual([]);
  });

  it("names a column the file lacks with the resolved file's columns", async () => {
    expect(await check({ path: 'long.csv', column: 'nope', where: { Symbol: 'MSFT' } })).toEqual([
      `${paramsPath}.column: expected one of the columns of ${join(dir, 'long.csv')} (Date, Symbol, Close, Volume, Note), got "nope" (did you mean "Note"?)`,
    ]);
    expect(await check({ path: 'long.csv', features: ['volume', 'Volumes'], where: { Symbol: 'MSFT' } })).toEqual([
      expect.stringMatching(/^stages\.load\.params\.features\.1: .*got "Volumes" \(did you mean "Volume"\?\)$/),
    ]);
  });

  it('names a where value no row holds, with the values there', async () => {
    expect(await check({ path: 'long.csv', where: { Symbol: 'IBM' } })).toEqual([
      `${paramsPath}.where.Symbol: expected one of the values in column "Symbol" of ${join(dir, 'long.csv')} ("MSFT", "AAPL"), got "IBM"`,
    ]);
  });

  it('refuses a date column of no dates, and a value column with no number in its first rows', async () => {
    expect(await check({ path: 'long.csv', column: 'Note', dateColumn: 'Symbol', where: { Symbol: 'MSFT' } })).toEqual([
      `${paramsPath}.dateColumn: expected dates in column "Symbol" of ${join(dir, 'long.csv')}, got "MSFT"`,
      `${paramsPath}.column: expected numbers in column "Note" of ${join(dir, 'long.csv')}, got "a", "b" in its first 2 rows`,
    ]);
  });

  it('takes a row without a number when dropping them, not when invalid is fail', async () => {
    expect(await check({ path: 'prices.jsonl', column: 'close', dateColumn: 'day' })).toEqual([]);
    expect(await check({ path: 'prices.jsonl', column: 'close', dateColumn: 'day', invalid: 'fail' })).toEqual([
      `${paramsPath}.column: expected numbers in column "close" of ${join(dir, 'prices.jsonl')}, got "n/a" in its first 2 rows`,
    ]);
  });

  it('refuses a file without rows, and a missing one under path', async () => {
    expect(await check({ path: 'header-only.csv' })).toEqual([
      `${paramsPath}.path: expected rows in ${join(dir, 'header-only.csv')}, got none`,
    ]);
    expect(await check({ path: 'none.csv' })).toEqual([
      `${paramsPath}.path: none.csv (resolved: ${join(dir, 'none.csv')}, cwd ${dir}): expected a CSV, JSON, Parquet or Arrow file, got no such file`,
    ]);
  });
});
