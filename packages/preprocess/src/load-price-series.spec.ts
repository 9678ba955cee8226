import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPriceSeries } from './load-price-series.js';
import { resolveDataPath } from './resolve-data-path.js';

let dir: string;
const options = { column: 'Close', dateColumn: 'Date', invalid: 'drop' as const };
const csv = async (name: string, text: string) => {
  await writeFile(join(dir, name), text);
  return join(dir, name);
};
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'sg-csv-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadPriceSeries', () => {
  it('carries feature columns along, dropping a row that lacks any of them', async () => {
    const file = await csv(
      'ohlc.csv',
      'Date,High,Close,Volume\n2020-01-02,12,11,200\n2020-01-01,11,10,100\n2020-01-03,13,12,\n',
    );
    const { series, dropped } = await loadPriceSeries(file, { ...options, features: ['High', 'volume'] });
    expect(series).toEqual({
      name: 'Close',
      dates: ['2020-01-01', '2020-01-02'],
      values: [10, 11],
      features: { High: [11, 12], volume: [100, 200] },
    });
    expect(dropped).toEqual([{ at: 'line 4', column: 'Volume', value: '' }]);
  });

  it('names the feature column, not the price column, when a feature holds no numbers', async () => {
    const file = await csv('text-feature.csv', 'Date,Close,Sector\n2020-01-01,10,tech\n2020-01-02,11,tech\n');
    await expect(loadPriceSeries(file, { ...options, features: ['Sector'] }, 'text-feature.csv')).rejects.toThrow(
      'text-feature.csv: column "Sector": expected numbers, got none in 2 rows',
    );
    const { dropped } = await loadPriceSeries(file, { ...options, features: [] });
    expect(dropped).toEqual([]);
  });

  it('picks one series of a long-format file with where, and lists the values when none match', async () => {
    const file = await csv(
      'long.csv',
      'symbol,date,price\nMSFT,2020-01-01,10\nAAPL,2020-01-01,20\nMSFT,2020-01-02,11\nAAPL,2020-01-02,21\n',
    );
    const long = { column: 'price', dateColumn: 'date', invalid: 'fail' as const };
    expect((await loadPriceSeries(file, { ...long, where: { symbol: 'AAPL' } })).series).toEqual({
      name: 'price',
      dates: ['2020-01-01', '2020-01-02'],
      values: [20, 21],
    });
    await expect(loadPriceSeries(file, { ...long, where: { symbol: 'IBM' } }, 'long.csv')).rejects.toThrow(
      'long.csv: where.symbol: expected one of "MSFT", "AAPL", got "IBM"',
    );
    await expect(loadPriceSeries(file, { ...long, where: { ticker: 'IBM' } }, 'long.csv')).rejects.toThrow(
      'long.csv: expected a column "ticker", got columns "symbol", "date", "price"',
    );
    await expect(loadPriceSeries(file, long, 'long.csv')).rejects.toThrow(
      'long.csv: column "date": expected one row per date, got "2020-01-01" twice (a long-format file? pick one series with the where param, e.g. {"symbol": "MSFT"})',
    );
  });

  it('sorts by date and drops rows without a number, reporting them', async () => {
    const file = await csv(
      'a.csv',
      'Date,Close\n2020-01-03,3\n2020-01-01,1\n2020-01-02,\n2020-01-04,null\n2020-01-05,5\n',
    );
    const { series, dropped } = await loadPriceSeries(file, options);
    expect(series).toEqual({ name: 'Close', dates: ['2020-01-01', '2020-01-03', '2020-01-05'], values: [1, 3, 5] });
    expect(dropped).toEqual([
      { at: 'line 4', column: 'Close', value: '' },
      { at: 'line 5', column: 'Close', value: 'null' },
    ]);
  });

  it('fails on a bad cell when told to, naming line and column', async () => {
    const file = await csv('b.csv', 'Date,Close\n2020-01-01,1\n2020-01-02,abc\n');
    await expect(loadPriceSeries(file, { ...options, invalid: 'fail' }, 'b.csv')).rejects.toThrow(
      'b.csv: line 3, column "Close": expected a number, got "abc"',
    );
  });

  it('lists the columns there are when the price column is missing; matches case when unambiguous', async () => {
    const file = await csv('c.csv', 'date,open,close\n2020-01-01,1,2\n');
    await expect(loadPriceSeries(file, { ...options, column: 'Adj Close' }, 'c.csv')).rejects.toThrow(
      'c.csv: expected a column "Adj Close", got columns "date", "open", "close"',
    );
    expect((await loadPriceSeries(file, options)).series.values).toEqual([2]);
  });

  it('rejects a missing file, a header without rows, bad dates and duplicate dates', async () => {
    await expect(loadPriceSeries(join(dir, 'none.csv'), options, 'none.csv')).rejects.toThrow(
      'none.csv: expected a CSV, JSON, Parquet or Arrow file, got no such file',
    );
    await expect(loadPriceSeries(await csv('d.csv', 'Date,Close\n'), options, 'd.csv')).rejects.toThrow(
      'd.csv: expected data rows after the header, got none',
    );
    await expect(loadPriceSeries(await csv('e.csv', 'Date,Close\nsoon,1\n'), options, 'e.csv')).rejects.toThrow(
      'e.csv: line 2, column "Date": expected a date, got "soon"',
    );
    await expect(
      loadPriceSeries(await csv('f.csv', 'Date,Close\n2020-01-01,1\n2020-01-01,2\n'), options, 'f.csv'),
    ).rejects.toThrow('expected one row per date, got "2020-01-01" twice');
  });
});

describe('resolveDataPath', () => {
  it('finds files shipped by an installed npm package', () => {
    expect(resolveDataPath('package:vega-datasets/data/sp500-2000.csv', process.cwd())).toMatch(
      /node_modules\/vega-datasets\/data\/sp500-2000\.csv$/,
    );
    expect(resolveDataPath('data/x.csv', '/w')).toBe('/w/data/x.csv');
    expect(() => resolveDataPath('package:no-such-package-x/a.csv', '/')).toThrow(
      'expected the npm package "no-such-package-x" to be installed',
    );
    expect(() => resolveDataPath('package:vega-datasets/../../../../etc/passwd', process.cwd())).toThrow(
      'package:vega-datasets/../../../../etc/passwd: expected a file inside the package "vega-datasets", got a path out of it',
    );
  });
});
