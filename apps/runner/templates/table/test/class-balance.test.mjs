// node --test: the stage's function, then the stage as the engine calls it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '@stagegraph/pipeline';
import { stages } from '../src/index.mjs';
import { countClasses } from '../src/class-balance.mjs';

// a table as tables.load hands it over: typed-array columns, -1 where a category is missing
const table = (codes) => ({
  rows: codes.length,
  label: 'species',
  columns: [
    { name: 'mass', type: 'number', values: Float64Array.from(codes, (c) => 3000 + c), missing: 0, distinct: 3 },
    {
      name: 'species',
      type: 'category',
      codes: Int32Array.from(codes),
      categories: ['Adelie', 'Gentoo'],
      missing: 0,
      distinct: 2,
    },
  ],
  dropped: [],
  source: { file: 'penguins.json', rowsRead: codes.length, labelMissing: 0 },
});

test('countClasses counts the rows of each class by name, skipping missing labels', () => {
  assert.deepEqual(countClasses(table([0, 1, 1, -1])), { Adelie: 1, Gentoo: 2 });
});

test('the stage reports counts and balance, and refuses a table below minBalance', async () => {
  const stage = stages.find((s) => s.type === 'mine.class-balance');
  const ctx = { stageId: 'balance', log: () => {} };
  const input = { table: table([0, 1, 1, 1]) };
  assert.deepEqual((await stage.run(input, { minBalance: 0 }, ctx)).metrics, {
    labelCounts: { Adelie: 1, Gentoo: 3 },
    classBalance: 1 / 3,
  });
  await assert.rejects(
    stage.run(input, { minBalance: 0.5 }, ctx),
    (error) => error instanceof DataError && /got 0\.333/.test(error.message),
  );
});
