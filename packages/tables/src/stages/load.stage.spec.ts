import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Table } from '@stagegraph/contracts';
import type { StageContext } from '@stagegraph/pipeline';
import { loadTableStage } from './load.stage.js';

const context = (workDir: string, lines: string[]) =>
  ({
    stageId: 'load',
    seed: 1,
    signal: new AbortController().signal,
    workDir,
    progress: () => undefined,
    log: (l: string) => lines.push(l),
  }) as StageContext;

describe('tables.load', () => {
  it('loads a package: path and logs each column and the rows dropped', async () => {
    const lines: string[] = [];
    const params = loadTableStage.params.parse({
      path: 'package:vega-datasets/data/cars.json',
      label: 'Miles_per_Gallon',
    });
    const { table } = (await loadTableStage.run({}, params, context(process.cwd(), lines))) as { table: Table };
    expect(table.rows).toBe(398);
    expect(lines).toContain('Origin: category, 0 missing, 3 distinct');
    expect(lines.at(-1)).toBe(
      '398 rows, 8 columns (8 of 406 rows had no Miles_per_Gallon and were dropped); dropped Name',
    );
  });

  it("keys the cache by the file's content", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-load-'));
    try {
      const params = loadTableStage.params.parse({ path: 't.csv', label: 'a' });
      writeFileSync(join(dir, 't.csv'), 'a,b\n1,2\n');
      const before = await loadTableStage.fingerprint!(params, { workDir: dir });
      writeFileSync(join(dir, 't.csv'), 'a,b\n1,3\n');
      expect(await loadTableStage.fingerprint!(params, { workDir: dir })).not.toBe(before);
      await expect(loadTableStage.fingerprint!({ ...params, path: 'none.csv' }, { workDir: dir })).rejects.toThrow(
        `none.csv (resolved: ${join(dir, 'none.csv')}, cwd ${dir}): expected a CSV, JSON, Parquet or Arrow file, got no such file`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
