// node --test: the stage's function, then the stage in a pipeline as the engine runs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodecRegistry, defineStage, executePipeline, port, registryOf, validateConfig } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { stages } from '../src/index.mjs';
import { rollingMean } from '../src/rolling-mean.mjs';

test('rollingMean averages each window', () => {
  assert.deepEqual(rollingMean([1, 2, 3, 4, 5], 2), [1.5, 2.5, 3.5, 4.5]);
});

// a source stage for the test, so the plugin's stage gets a series as it would from preprocess.load-csv
const fixedSeries = defineStage({
  type: 'test.series',
  version: 1,
  params: z.strictObject({}),
  inputs: {},
  outputs: { series: port(SERIES) },
  run: async () => ({
    series: { name: 'close', dates: ['2024-01-01', '2024-01-02', '2024-01-03'], values: [10, 20, 60] },
  }),
});

const pipeline = (window) =>
  validateConfig(
    {
      name: 'plugin-test',
      stages: {
        load: { type: 'test.series' },
        smooth: { type: 'mine.rolling-mean', params: { window }, inputs: { series: 'load.series' } },
      },
    },
    registryOf([
      { name: 'test', plugin: { stages: [fixedSeries] } },
      { name: '{{name}}', plugin: { stages } },
    ]),
  );

/** Every event of a run, or its error. */
const run = (window) =>
  new Promise((resolve, reject) => {
    const events = [];
    executePipeline(pipeline(window), { codecs: new CodecRegistry() }).subscribe({
      next: (e) => events.push(e),
      error: reject,
      complete: () => resolve(events),
    });
  });

test('the stage runs in a pipeline and fails in one line on a short series', async () => {
  const events = await run(2);
  const end = events.find((e) => e.type === 'stage-end' && e.stageId === 'smooth');
  assert.deepEqual(end.outputs.series, {
    name: 'close (mean of 2)',
    dates: ['2024-01-02', '2024-01-03'],
    values: [15, 40],
  });
  await assert.rejects(
    run(5),
    /stages\.smooth \(mine\.rolling-mean\): series: expected at least 5 values for window 5, got 3/,
  );
});
