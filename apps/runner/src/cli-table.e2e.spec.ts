import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, tensorCount } from '@stagegraph/core-tensor';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { captureOutput, newestRun } from './test-support/tiny-pipeline.js';

// pipelines/table.json as the README runs it, on vega-datasets tables (an npm dependency: no ../shared)
const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'table.json');
const cwd = process.cwd();
let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'sg-table-'));
  process.chdir(dir);
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

/** Runs table.json on a vega-datasets file and label: the exit code, what it printed, and the run's metrics. */
async function runTable(file: string, label: string) {
  const output = captureOutput();
  const tensorsBefore = tensorCount();
  const code = await main(
    [
      'run',
      pipelineFile,
      '--backend',
      'wasm',
      '--set',
      `stages.load.params.path=package:vega-datasets/data/${file}`,
      '--set',
      `stages.load.params.label=${label}`,
      '--set',
      'stages.dense.params.epochs=20',
    ],
    output,
  );
  const run = code === 0 ? await newestRun(join(dir, 'runs')) : undefined;
  return { code, out: output.stdout(), err: output.stderr(), leaked: tensorCount() - tensorsBefore, run };
}

describe('pipelines/table.json on your own tables', () => {
  it('cars.json, Miles_per_Gallon: a regression, Name dropped as an identifier, 8 unlabelled rows dropped, the best R^2 >= 0.80 beside the mean baseline', async () => {
    const { code, err, out, leaked, run } = await runTable('cars.json', 'Miles_per_Gallon');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(leaked).toBe(0);
    expect(out).toMatch(/^load: Name: dropped, an identifier/m);
    expect(out).toMatch(/^load: Origin: category, 0 missing, 3 distinct$/m);
    expect(out).toMatch(/^load: Year: date, /m);
    expect(out).toMatch(
      /^load: 398 rows, 8 columns \(8 of 406 rows had no Miles_per_Gallon and were dropped\); dropped Name$/m,
    );
    expect(out).toMatch(/^prepare: task: regression/m);
    const metrics = run!.metrics as Record<string, unknown> & {
      models: Record<string, { r2: number; rmseRatio: number }>;
      best: string;
    };
    expect(Object.keys(metrics.models).sort()).toEqual(
      ['baseline', 'boosted', 'dense', 'forest', 'knn', 'linear', 'svm'].sort(),
    );
    expect(metrics.models[metrics.best].r2).toBeGreaterThanOrEqual(0.8);
    expect(metrics.models[metrics.best].rmseRatio).toBeLessThan(0.5);
    expect(Math.abs(metrics.models.baseline.r2)).toBeLessThan(0.1);
    const report = await readFile(join(run!.dir, 'report.html'), 'utf8');
    expect(report).toContain('(baseline)');
  }, 180_000);

  it('cars.json, Origin: a 3-class classification with the majority baseline in the table', async () => {
    const { code, err, out, run } = await runTable('cars.json', 'Origin');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^prepare: task: classification \(label "Origin": a category label, 3 classes\)$/m);
    const metrics = run!.metrics as { models: Record<string, { accuracy: number }>; best: string };
    expect(metrics.models.baseline.accuracy).toBeLessThan(metrics.models[metrics.best].accuracy);
  }, 180_000);

  it('seattle-weather.csv, weather: 5 imbalanced classes, balanced accuracy beside accuracy', async () => {
    const { code, err, out, run } = await runTable('seattle-weather.csv', 'weather');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/a category label, 5 classes/);
    const metrics = run!.metrics as { models: Record<string, { accuracy: number; balancedAccuracy: number }> };
    expect(metrics.models.baseline).toMatchObject({ balancedAccuracy: 0.2 });
    expect(metrics.models.forest.balancedAccuracy).toBeLessThan(metrics.models.forest.accuracy);
  }, 180_000);
});
