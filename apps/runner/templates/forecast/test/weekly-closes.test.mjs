// node --test: the stage's functions, then the stage as the engine calls it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '@stagegraph/pipeline';
import { stages } from '../src/index.mjs';
import { weekOf, weeklyCloses } from '../src/weekly-closes.mjs';

test('weekOf gives the Monday of the ISO week', () => {
  assert.equal(weekOf('2024-01-07'), '2024-01-01'); // a Sunday belongs to the week before
  assert.equal(weekOf('2024-01-08'), '2024-01-08');
  assert.equal(weekOf('2024-01-12'), '2024-01-08');
  assert.equal(weekOf('Jan 10 2024'), '2024-01-08'); // any date the CSV loader reads
  assert.equal(weekOf('not a date'), undefined);
});

test('weeklyCloses keeps the last trading day of each week', () => {
  const dates = ['2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-16'];
  assert.deepEqual(weeklyCloses(dates, [1, 2, 3, 4, 5]), {
    dates: ['2024-01-05', '2024-01-09', '2024-01-16'],
    values: [2, 4, 5],
  });
});

test('the stage refuses a series shorter than minWeeks with a DataError', async () => {
  const stage = stages.find((s) => s.type === 'mine.weekly-closes');
  const series = { name: 'close', dates: ['2024-01-05', '2024-01-12'], values: [1, 2] };
  const ctx = { stageId: 'weekly', log: () => {} };
  assert.deepEqual((await stage.run({ series }, { minWeeks: 2 }, ctx)).series, { ...series, name: 'close (weekly)' });
  await assert.rejects(
    stage.run({ series }, { minWeeks: 3 }, ctx),
    (error) => error instanceof DataError && /expected at least 3 weeks, got 2/.test(error.message),
  );
  const undated = { ...series, dates: ['2024-01-05', 'soon'] };
  await assert.rejects(
    stage.run({ series: undated }, { minWeeks: 1 }, ctx),
    (error) => error instanceof DataError && /expected dates, got "soon"/.test(error.message),
  );
});
