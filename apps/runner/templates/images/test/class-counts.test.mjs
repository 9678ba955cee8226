// node --test: the stage's function, then the stage as the engine calls it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '@stagegraph/pipeline';
import { stages } from '../src/index.mjs';
import { countClasses } from '../src/class-counts.mjs';

test('countClasses counts the images of each class by name', () => {
  assert.deepEqual(countClasses([1, 0, 0, 0, 1, 0, 0, 1, 0], ['cat', 'dog', 'fox']), { cat: 1, dog: 2, fox: 0 });
});

// labels as the engine hands them over: anything with a shape and an async data()
const labels = (rows) => ({ shape: [rows.length, rows[0].length], data: async () => Float32Array.from(rows.flat()) });

test('the stage reports counts by name and balance, and refuses classes below minBalance', async () => {
  const stage = stages.find((s) => s.type === 'mine.class-counts');
  const ctx = { stageId: 'balance', log: () => {} };
  const input = {
    labels: labels([
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
    ]),
    classes: { names: ['cat', 'dog'] },
  };
  assert.deepEqual((await stage.run(input, { minBalance: 0 }, ctx)).metrics, {
    labelCounts: { cat: 1, dog: 3 },
    classBalance: 1 / 3,
  });
  await assert.rejects(
    stage.run(input, { minBalance: 0.5 }, ctx),
    (error) => error instanceof DataError && /got 0\.333/.test(error.message),
  );
});
