import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE, tableCodec, type Table } from './index.js';

const cars = (): Table => ({
  rows: 3,
  label: 'mpg',
  columns: [
    { name: 'mpg', type: 'number', values: Float64Array.of(18, NaN, 31.5), missing: 1, distinct: 2 },
    {
      name: 'origin',
      type: 'category',
      codes: Int32Array.of(0, 1, -1),
      categories: ['USA', 'Japan'],
      missing: 1,
      distinct: 2,
    },
    { name: 'turbo', type: 'boolean', values: Uint8Array.of(1, 0, 255), missing: 1, distinct: 2 },
    { name: 'year', type: 'date', values: Float64Array.of(0, 86_400_000, NaN), missing: 1, distinct: 2 },
  ],
  dropped: [{ name: 'Name', reason: 'an identifier (3 distinct values in 3 rows)' }],
  source: { file: 'cars.json', rowsRead: 4, labelMissing: 1 },
});

describe('TABLE', () => {
  it('accepts typed-array columns of one length each', () => {
    expect(TABLE.check!(cars())).toBeUndefined();
  });

  it('names a column whose length is not the row count, a name twice, and a label that is no column', () => {
    const short = cars();
    short.columns[1] = { ...short.columns[1], codes: Int32Array.of(0) } as Table['columns'][number];
    expect(TABLE.check!(short)).toBe('expected column "origin" to hold one value per row (3), got 1');
    const twice = cars();
    twice.columns.push({ ...twice.columns[0] });
    expect(TABLE.check!(twice)).toBe('expected column names once each, got "mpg" twice');
    expect(TABLE.check!({ ...cars(), label: 'price' })).toBe('expected the label "price" among the columns, got none');
  });

  it('refuses plain arrays where typed arrays belong', () => {
    const plain = cars();
    (plain.columns[0] as { values: unknown }).values = [18, NaN, 31.5];
    expect(TABLE.check!(plain)).toMatch(/^expected a table .*columns\[0\]\.values: an array/);
  });
});

describe('tableCodec', () => {
  const withDir = async (use: (dir: string) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-table-'));
    try {
      await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('stores each column as one binary file and reads the same table back', () =>
    withDir(async (dir) => {
      const files = await tableCodec.save(cars(), dir, 'table');
      expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual([
        'table.0.bin',
        'table.1.bin',
        'table.2.bin',
        'table.3.bin',
        'table.table.json',
      ]);
      expect((await readFile(join(dir, 'table.0.bin'))).byteLength).toBe(3 * 8);
      expect(await tableCodec.load(dir, 'table')).toEqual(cars());
    }));

  it('refuses a damaged entry: a truncated column, a column file outside the entry', () =>
    withDir(async (dir) => {
      await tableCodec.save(cars(), dir, 'table');
      await writeFile(join(dir, 'table.0.bin'), new Uint8Array(16));
      await expect(tableCodec.load(dir, 'table')).rejects.toThrow(
        'expected column "mpg" to hold one value per row (3), got 2',
      );
      const meta = JSON.parse(await readFile(join(dir, 'table.table.json'), 'utf8'));
      meta.columns[0].file = '../../etc/passwd';
      await writeFile(join(dir, 'table.table.json'), JSON.stringify(meta));
      await expect(tableCodec.load(dir, 'table')).rejects.toThrow(/expected a column file and type, got .*etc\/passwd/);
    }));
});
