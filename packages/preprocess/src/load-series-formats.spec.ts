import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { StageContext } from '@stagegraph/pipeline';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadPriceSeries } from './load-price-series.js';
import { loadCsvStage } from './stages/load-csv.stage.js';

let dir: string;
const options = { column: 'close', dateColumn: 'date', invalid: 'drop' as const };
const file = async (name: string, content: string | Uint8Array) => {
  await writeFile(join(dir, name), content);
  return join(dir, name);
};
/** The same three days in every format: out of order, with a volume. */
const expected = {
  name: 'close',
  dates: ['2020-01-01', '2020-01-02', '2020-01-03'],
  values: [10, 11.5, 12],
  features: { volume: [100, 200, 300] },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-series-'));
  // Parquet written by DuckDB, with typed columns (a DATE, a DOUBLE, a BIGINT)
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const parquet = join(dir, 'prices.parquet').replaceAll("'", "''");
  await connection.run(
    `COPY (SELECT * FROM (VALUES (DATE '2020-01-02', 11.5::DOUBLE, 200::BIGINT), (DATE '2020-01-01', 10, 100), (DATE '2020-01-03', 12, 300)) t(date, close, volume)) TO '${parquet}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadPriceSeries reads every table format through the tables reader', () => {
  it.each([
    ['CSV', 'p.csv', 'date,close,volume\n2020-01-02,11.5,200\n2020-01-01,10,100\n2020-01-03,12,300\n', 'csv'],
    [
      'CSV with ; and CRLF',
      'p.txt',
      'date;close;volume\r\n2020-01-02;11.5;200\r\n2020-01-01;10;100\r\n2020-01-03;12;300\r\n',
      'csv',
    ],
    ['TSV', 'p.tsv', 'date\tclose\tvolume\n2020-01-02\t11.5\t200\n2020-01-01\t10\t100\n2020-01-03\t12\t300\n', 'tsv'],
    [
      'JSON records',
      'p.json',
      '[{"date":"2020-01-02","close":11.5,"volume":200},{"date":"2020-01-01","close":10,"volume":100},{"date":"2020-01-03","close":12,"volume":300}]',
      'json',
    ],
    [
      'JSON Lines, named .json',
      'lines.json',
      '{"date":"2020-01-02","close":11.5,"volume":200}\n{"date":"2020-01-01","close":10,"volume":100}\n{"date":"2020-01-03","close":12,"volume":300}\n',
      'jsonl',
    ],
  ])('%s', async (_what, name, content, format) => {
    const loaded = await loadPriceSeries(await file(name, content), { ...options, features: ['volume'] });
    expect(loaded.format).toBe(format);
    expect(loaded.series).toEqual(expected);
  });

  it('Parquet (typed date and numbers) and Arrow IPC, whatever their names say', async () => {
    const parquet = await loadPriceSeries(join(dir, 'prices.parquet'), { ...options, features: ['volume'] });
    expect(parquet.format).toBe('parquet');
    expect(parquet.series).toEqual(expected);
    const arrow = tableToIPC(
      tableFromArrays({
        date: ['2020-01-02', '2020-01-01', '2020-01-03'],
        close: Float64Array.from([11.5, 10, 12]),
        volume: Int32Array.from([200, 100, 300]),
      }),
      'file',
    );
    const loaded = await loadPriceSeries(await file('prices.dat', arrow), { ...options, features: ['volume'] });
    expect(loaded.format).toBe('arrow');
    expect(loaded.series).toEqual(expected);
  });

  it('time stamps of a JSON file (vega-datasets writes them so) as ISO text, and where on a number', async () => {
    const json = await file(
      'rates.json',
      JSON.stringify([
        { series: 'A', year: 2000, rate: 2.5, date: '2000-02-01T08:00:00.000Z' },
        { series: 'A', year: 2000, rate: 2.1, date: '2000-01-01T08:00:00.000Z' },
        { series: 'B', year: 2000, rate: 9, date: '2000-01-01T08:00:00.000Z' },
      ]),
    );
    const { series } = await loadPriceSeries(json, { ...options, column: 'rate', where: { series: 'A', year: 2000 } });
    expect(series).toEqual({
      name: 'rate',
      dates: ['2000-01-01T08:00:00Z', '2000-02-01T08:00:00Z'],
      values: [2.1, 2.5],
    });
  });

  it('names a record by its line in text files (blank lines and quoted line breaks counted), by its row elsewhere', async () => {
    const csv = await file('gaps.csv', 'date,note,close\n2020-01-01,"two\nlines",1\n\n2020-01-02,x,oops\n');
    await expect(loadPriceSeries(csv, { ...options, invalid: 'fail' }, 'gaps.csv')).rejects.toThrow(
      'gaps.csv: line 5, column "close": expected a number, got "oops"',
    );
    const json = await file('bad.json', '[{"date":"2020-01-01","close":1},{"date":"2020-01-02","close":"oops"}]');
    await expect(loadPriceSeries(json, { ...options, invalid: 'fail' }, 'bad.json')).rejects.toThrow(
      'bad.json: row 2, column "close": expected a number, got "oops"',
    );
  });

  it('refuses a quote left open, naming the line its record starts on (not read as another dialect)', async () => {
    const csv = await file('open-quote.csv', 'date,close\n2020-01-01,1\n"2020-01-02,2\n2020-01-03,3\n');
    await expect(loadPriceSeries(csv, options, 'open-quote.csv')).rejects.toThrow(
      'open-quote.csv: line 3: expected a closing quote, got end of file',
    );
  });

  it('refuses a file of another format by its content, saying what it looks like', async () => {
    const png = await file('chart.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    await expect(loadPriceSeries(png, options, 'chart.csv')).rejects.toThrow(
      'chart.csv: expected CSV, JSON, Parquet or Arrow, got a PNG image',
    );
    const object = await file('config.json', '{\n  "data": [1, 2, 3]\n}\n');
    await expect(loadPriceSeries(object, options, 'config.json')).rejects.toThrow(
      'config.json: expected CSV, JSON, Parquet or Arrow, got a JSON object, not records',
    );
  });

  it('features "all": every other column with a number in each row, the rest left out with why', async () => {
    const csv = await file(
      'weather.csv',
      'date,precipitation,temp_max,temp_min,wind,weather,station\n' +
        '2012-01-01,0.0,12.8,5.0,4.7,drizzle,S1\n2012-01-02,10.9,10.6,-2.8,,rain,S1\n2012-01-03,0.8,11.7,7.2,2.3,rain,S1\n',
    );
    const loaded = await loadPriceSeries(csv, { ...options, column: 'temp_min', features: 'all' });
    expect(loaded.series.values).toEqual([5, -2.8, 7.2]);
    expect(Object.keys(loaded.series.features!)).toEqual(['precipitation', 'temp_max']);
    expect(loaded.leftOut).toEqual([
      { column: 'wind', reason: '1 rows without a number' },
      { column: 'weather', reason: 'not numbers' },
      { column: 'station', reason: 'not numbers' },
    ]);
  });
});

describe('preprocess.load-csv', () => {
  const context = (workDir: string, lines: string[]) =>
    ({
      stageId: 'load',
      seed: 1,
      signal: new AbortController().signal,
      workDir,
      progress: () => undefined,
      log: (line: string) => lines.push(line),
    }) as StageContext;

  it('names a missing file with where it resolved and the working directory, on one line', async () => {
    const params = loadCsvStage.params.parse({ path: 'data/none.csv' });
    await expect(loadCsvStage.fingerprint!(params, { workDir: dir })).rejects.toThrow(
      `data/none.csv (resolved: ${join(dir, 'data/none.csv')}, cwd ${dir}): expected a CSV, JSON, Parquet or Arrow file, got no such file`,
    );
  });

  it('keys the cache by the content and logs the format and the features', async () => {
    const path = 'keyed.json';
    await file(path, '[{"d":"2020-01-01","v":1,"w":3},{"d":"2020-01-02","v":2,"w":4}]');
    const params = loadCsvStage.params.parse({ path, column: 'v', dateColumn: 'd', features: 'all' });
    const before = await loadCsvStage.fingerprint!(params, { workDir: dir });
    const lines: string[] = [];
    await loadCsvStage.run({}, params, context(dir, lines));
    expect(lines).toEqual(['features w (all numeric columns)', '2 rows (json), 2020-01-01 .. 2020-01-02']);
    await file(path, '[{"d":"2020-01-01","v":1,"w":3},{"d":"2020-01-02","v":5,"w":4}]');
    expect(await loadCsvStage.fingerprint!(params, { workDir: dir })).not.toBe(before);
  });
});
