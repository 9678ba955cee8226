import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadTableStage } from './load.stage.js';

let dir: string;
const paramsPath = 'stages.load.params';
const check = (params: Record<string, unknown>) =>
  loadTableStage.check!(loadTableStage.params.parse(params), { workDir: dir, paramsPath });

/** Writes a Parquet file of `rows` rows through DuckDB, as a user's export would be. */
async function writeParquet(file: string, rows: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT i AS id, 'site' || (i % 3) AS site, i * 0.5 AS price, i % 2 = 0 AS sold FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tables-check-'));
  writeFileSync(join(dir, 'homes.csv'), 'id,site,price,sold\n1,north,100,true\n2,south,200,false\n3, east ,300,true\n');
  writeFileSync(
    join(dir, 'homes.json'),
    JSON.stringify([
      { site: 'north', price: 1 },
      { site: 'south', price: 2 },
    ]),
  );
  await writeParquet(join(dir, 'homes.parquet'), 5000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tables.load check (validate)', () => {
  it('passes a file that has every column the params name and the where values', async () => {
    expect(await check({ path: 'homes.csv', label: 'price', where: { site: 'north' } })).toEqual([]);
    expect(await check({ path: 'homes.parquet', label: 'price', where: { site: 'site2', sold: true } })).toEqual([]);
    expect(await check({ path: 'homes.json', label: 'price', columns: { drop: ['site'] } })).toEqual([]);
  });

  it("names a missing label with the resolved file's columns and the closest one", async () => {
    expect(await check({ path: 'homes.csv', label: 'prise' })).toEqual([
      `${paramsPath}.label: expected one of the columns of ${join(dir, 'homes.csv')} (id, site, price, sold), got "prise" (did you mean "price"?)`,
    ]);
  });

  it('checks columns.keep, drop and types, and where keys, one line each', async () => {
    const lines = await check({
      path: 'homes.parquet',
      label: 'price',
      columns: { keep: ['id', 'sites'], types: { cost: 'number' } },
      where: { state: 'x' },
    });
    expect(lines).toEqual([
      expect.stringMatching(/^stages\.load\.params\.columns\.keep\.1: .*got "sites" \(did you mean "site"\?\)$/),
      expect.stringMatching(
        /^stages\.load\.params\.columns\.types\.cost: expected one of the columns of .*, got "cost"$/,
      ),
      expect.stringMatching(/^stages\.load\.params\.where: .*got "state"/),
    ]);
  });

  it('names a where value no row holds, with values the column does hold', async () => {
    const [line] = await check({ path: 'homes.parquet', label: 'price', where: { site: 'site9' } });
    expect(line).toMatch(
      new RegExp(
        `^stages\\.load\\.params\\.where\\.site: expected one of the values in column "site" of .*homes\\.parquet \\(.*"site0".*\\), got "site9"$`,
      ),
    );
  });

  it('refuses a missing file or one of no table format under path, with where it resolved', async () => {
    expect(await check({ path: 'none.csv', label: 'a' })).toEqual([
      `${paramsPath}.path: none.csv (resolved: ${join(dir, 'none.csv')}, cwd ${dir}): expected a CSV, JSON, Parquet or Arrow file, got no such file`,
    ]);
    writeFileSync(join(dir, 'bin.csv'), Buffer.from([0, 1, 2, 3]));
    expect(await check({ path: 'bin.csv', label: 'a' })).toEqual([
      `${paramsPath}.path: bin.csv (resolved: ${join(dir, 'bin.csv')}, cwd ${dir}): expected CSV, JSON, Parquet or Arrow, got binary data (first bytes 00 01 02 03)`,
    ]);
  });

  it('leaves the columns a query gives to the run', async () => {
    expect(await check({ path: 'homes.csv', label: 'total', query: 'SELECT price AS total FROM data' })).toEqual([]);
  });
});
