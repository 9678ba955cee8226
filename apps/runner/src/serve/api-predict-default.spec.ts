import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { colourImage } from '../test-support/colour-images.js';
import { editRunRecord, writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { startServer, type RunningServer } from './server.js';

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let server: RunningServer;
const TABLE_RUN = 'table-2026-01-01T15-00-00-000';

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, backtestRuns: 1, colourRun: true });
  // the colour run (folder images) made newest of the image runs, after the digit run (13:00)
  await editRunRecord(
    synthetic.runsDir,
    synthetic.colourRun!,
    (record) => void (record.startedAt = '2026-01-01T14:00:00.000Z'),
  );
  // and a table run newer than all: a model, but no image model
  await cp(join(synthetic.runsDir, synthetic.forecastRuns[0]), join(synthetic.runsDir, TABLE_RUN), { recursive: true });
  await mkdir(join(synthetic.runsDir, TABLE_RUN, 'models', 'forest'), { recursive: true });
  await writeFile(join(synthetic.runsDir, TABLE_RUN, 'models', 'forest', 'table-model.json'), '{}');
  await editRunRecord(synthetic.runsDir, TABLE_RUN, (record) => {
    record.startedAt = '2026-01-01T15:00:00.000Z';
    record.models = ['models/forest'];
  });
  server = await startServer({ runsDir: synthetic.runsDir, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

const predict = async (query: string, body: Uint8Array) => {
  const response = await fetch(`${server.url}/api/predict${query}`, { method: 'POST', body });
  return {
    status: response.status,
    answer: (await response.json()) as { run?: string; class?: string; error?: string },
  };
};

describe('POST /api/predict without ?run=', () => {
  it('answers with the newest run that has an image model (chosenRun, as /draw and /upload pick), past a newer table run', async () => {
    const red = await colourImage('#e02020', 30, 20, 'png');
    const unnamed = await predict('', red);
    expect(unnamed).toEqual({
      status: 200,
      answer: expect.objectContaining({ run: synthetic.colourRun, class: 'red' }),
    });
    expect((await predict(`?run=${synthetic.digitRun}`, red)).answer.run).toBe(synthetic.digitRun);
  });

  it('says how to make an image model when no run has one', async () => {
    // a runs folder of its own (specs run in random order): the table and forecast runs, no image run
    const noImages = join(synthetic.dir, 'no-images');
    for (const run of [TABLE_RUN, synthetic.forecastRuns[0]])
      await cp(join(synthetic.runsDir, run), join(noImages, run), { recursive: true });
    const other = await startServer({ runsDir: noImages, host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${other.url}/api/predict`, {
        method: 'POST',
        body: await colourImage('#e02020', 30, 20, 'png'),
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toMatch(/^no run has an image model yet: train one/);
    } finally {
      await other.close();
    }
  });
});
