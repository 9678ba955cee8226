import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE, TABLE_FOLDS, TABLE_PREPARATION, tableCodec, type Table } from '@stagegraph/contracts';
import { DataError, SeededRandom, type StageContext } from '@stagegraph/pipeline';
import { prepareTableStage } from './prepare.stage.js';
import { categoryColumn, dateColumn, imbalancedLabels, numberColumn, tableOf } from '../prepare/test-support/tables.js';

const ctx = (logs: string[]): StageContext => ({
  stageId: 'prepare',
  seed: 5,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: (m) => void logs.push(m),
});

const run = async (table: Table, params: Record<string, unknown> = {}, logs: string[] = []) =>
  prepareTableStage.run({ table }, prepareTableStage.params.parse(params), ctx(logs)) as Promise<{
    train: Table;
    validation: Table;
    test: Table;
    preparation: unknown;
    folds: { k: number; fold: number[] };
  }>;

function weather(n = 200): Table {
  const random = new SeededRandom(4);
  const labels = imbalancedLabels(n, { sun: 0.6, rain: 0.3, snow: 0.1 });
  return tableOf(
    [
      numberColumn(
        'temp',
        labels.map((l) => (l === 'snow' ? -5 : 15) + 5 * random.next()),
      ),
      categoryColumn(
        'wind',
        labels.map((_, i) => ['N', 'S', undefined][i % 3]),
      ),
      dateColumn(
        'day',
        labels.map((_, i) => new Date(Date.UTC(2020 + (i % 3), i % 12, 1 + (i % 28))).toISOString()),
      ),
      categoryColumn('weather', labels),
    ],
    'weather',
    'weather.csv',
  );
}

describe('tables.prepare', () => {
  it('splits, prepares and logs a classification, its outputs as their contracts say', async () => {
    const logs: string[] = [];
    const out = await run(weather(), {}, logs);
    for (const split of [out.train, out.validation, out.test]) expect(TABLE.check!(split)).toBeUndefined();
    expect(TABLE_PREPARATION.check!(out.preparation)).toBeUndefined();
    expect(TABLE_FOLDS.check!(out.folds)).toBeUndefined();
    expect([out.train.rows, out.validation.rows, out.test.rows]).toEqual([140, 20, 40]);
    expect(out.train.columns.map((c) => c.name)).toEqual([
      'temp',
      'wind=N',
      'wind=S',
      'wind missing',
      'day.year',
      'day.month',
      'day.dayOfWeek',
      'weather',
    ]);
    expect(out.test.columns.at(-1)).toMatchObject({ type: 'category', categories: ['sun', 'rain', 'snow'] });
    expect(logs.slice(0, 4)).toEqual([
      'task: classification (label "weather": a category label, 3 classes)',
      'classes (training rows): sun 84, rain 42, snow 14',
      'rows: 140 train, 20 validation, 40 test, stratified by class',
      'features: 7 from 3 columns, fitted on the training rows only',
    ]);
    // every third row's wind is missing: 66 of 200, spread over the splits
    const missing = logs.slice(4).map((line) => /^(train|validation|test): missing \(filled\) wind (\d+)$/.exec(line));
    expect(missing.map((m) => m?.[1])).toEqual(['train', 'validation', 'test']);
    expect(missing.reduce((sum, m) => sum + Number(m![2]), 0)).toBe(66);
  });

  it('gives the same outputs for the same seed, and tables the table codec stores and reads back', async () => {
    const one = await run(weather(), { seed: 3 });
    const again = await run(weather(), { seed: 3 });
    expect(again).toEqual(one);
    expect((await run(weather(), { seed: 4 })).test).not.toEqual(one.test);
    const dir = await mkdtemp(join(tmpdir(), 'sg-prepare-'));
    try {
      await tableCodec.save(one.train, dir, 'train');
      expect(await tableCodec.load(dir, 'train')).toEqual(one.train);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prepares a regression and logs its label, and gives folds of the training rows when asked', async () => {
    const logs: string[] = [];
    const table = tableOf(
      [
        numberColumn('x', [...Array(50).keys()]),
        numberColumn(
          'y',
          [...Array(50).keys()].map((i) => i * 0.5 + 0.25),
        ),
      ],
      'y',
    );
    const out = await run(table, { folds: 5 }, logs);
    expect(out.train.columns.at(-1)).toMatchObject({ name: 'y', type: 'number' });
    expect([out.train.rows, out.validation.rows, out.test.rows]).toEqual([40, 0, 10]);
    expect(out.folds.k).toBe(5);
    expect(out.folds.fold.length).toBe(40);
    expect(new Set(out.folds.fold).size).toBe(5);
    expect(logs[0]).toBe('task: regression (label "y": a number label with values that are not whole numbers)');
    expect(logs[1]).toMatch(/^label "y" over the training rows: mean \S+, std \S+$/);
    expect(logs[2]).toBe('rows: 40 train, 0 validation, 10 test (5-fold cross-validation over the training rows)');
  });

  it('fails with one line naming the stage and the label for a label of one class', async () => {
    const table = tableOf([numberColumn('x', [1, 2, 3, 4]), categoryColumn('y', ['a', 'a', 'a', 'a'])], 'y');
    await expect(run(table)).rejects.toThrow(
      new DataError('prepare: label "y": expected two or more classes to tell apart, got one ("a" in all 4 rows)'),
    );
  });

  it('refuses fractions that leave no training rows', () => {
    expect(prepareTableStage.params.safeParse({ testFraction: 0.5, validationFraction: 0.5 }).success).toBe(false);
    expect(prepareTableStage.params.safeParse({ testFraction: 0.5, validationFraction: 0.6, folds: 3 }).success).toBe(
      true,
    );
  });
});
