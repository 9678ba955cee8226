// node --test: the stage's function, then the stage as the engine calls it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '@stagegraph/pipeline';
import { stages } from '../src/index.mjs';
import { countLabels } from '../src/label-counts.mjs';

test('countLabels counts the rows of each class', () => {
  assert.deepEqual(countLabels([1, 0, 0, 0, 1, 0, 0, 1, 0], 3), [1, 2, 0]);
});

// labels as the engine hands them over: anything with a shape and an async data()
const labels = (rows) => ({ shape: [rows.length, rows[0].length], data: async () => Float32Array.from(rows.flat()) });

test('the stage reports counts and balance, and refuses labels below minBalance', async () => {
  const stage = stages.find((s) => s.type === 'mine.label-counts');
  const ctx = { stageId: 'balance', log: () => {} };
  const input = {
    labels: labels([
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
    ]),
  };
  assert.deepEqual((await stage.run(input, { minBalance: 0 }, ctx)).metrics, {
    labelCounts: [1, 3],
    classBalance: 1 / 3,
  });
  await assert.rejects(
    stage.run(input, { minBalance: 0.5 }, ctx),
    (error) => error instanceof DataError && /got 0\.333/.test(error.message),
  );
});
