import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveLayersModel, setClassNames, tf } from '@stagegraph/core-tensor';
import type { RunRecord, SweepRecord } from '../runs/run-records.js';

/**
 * A runs folder written directly, without training: run folders whose records have the shapes
 * `stagegraph run` and `sweep` write (typed by their schemas), for specs that attack the readers
 * (corrupt records, links out) and load the server, in a second rather than minutes.
 */
export async function writeSyntheticRuns(
  options: { forecastRuns?: number; backtestRuns?: number; digitRun?: boolean; colourRun?: boolean } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), 'sg-synthetic-'));
  const runsDir = join(dir, 'runs');
  const forecastRuns: string[] = [];
  for (let i = 0; i < (options.forecastRuns ?? 3); i++) forecastRuns.push(await writeForecastRun(runsDir, i));
  const backtestRuns: string[] = [];
  for (let i = 0; i < (options.backtestRuns ?? 0); i++) backtestRuns.push(await writeBacktestRun(runsDir, i));
  const digitRun = options.digitRun === false ? undefined : await writeDigitRun(runsDir);
  const colourRun = options.colourRun ? await writeColourRun(runsDir) : undefined;
  const sweepId = await writeSweep(runsDir, forecastRuns.slice(0, 2));
  return { dir, runsDir, forecastRuns, backtestRuns, digitRun, colourRun, sweepId };
}

const startedAt = (i: number) => new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString();

function record(
  pipeline: string,
  i: number,
  stages: { id: string; type: string }[],
  extra: Partial<RunRecord>,
): RunRecord {
  return {
    pipeline,
    configFile: `${pipeline}.json`,
    configHash: 'f'.repeat(64),
    config: {
      name: pipeline,
      seed: 42,
      stages: Object.fromEntries(stages.map((s) => [s.id, { type: s.type, params: { units: 4 + i } }])),
    },
    seed: 42,
    backend: 'cpu',
    threads: 1,
    git: { commit: 'a'.repeat(40), dirty: false },
    versions: { stagegraph: '0.1.0' },
    status: 'completed',
    startedAt: startedAt(i),
    durationMs: 1000 + i,
    stages: stages.map((s) => ({ ...s, key: 'k'.repeat(64), cached: false, durationMs: 10 })),
    metrics: 'metrics.json',
    metricsCsv: 'metrics.csv',
    report: 'report.html',
    figures: [],
    tables: [],
    models: [],
    histories: [],
    ...extra,
  };
}

async function writeRun(
  runsDir: string,
  id: string,
  run: RunRecord,
  metrics: Record<string, unknown>,
  files: Record<string, string> = {},
) {
  const folder = join(runsDir, id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'run.json'), JSON.stringify(run, null, 2));
  await writeFile(join(folder, 'metrics.json'), JSON.stringify(metrics, null, 2));
  await writeFile(join(folder, 'report.html'), `<!doctype html><title>${id}</title><p>report of ${id}</p>`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(folder, name, '..'), { recursive: true });
    await writeFile(join(folder, name), text);
  }
}

async function writeForecastRun(runsDir: string, i: number): Promise<string> {
  const id = `tiny-stock-2026-01-01T12-0${i}-00-000`;
  const stages = [
    { id: 'train', type: 'models-lstm.train' },
    { id: 'forecastPlot', type: 'viz.forecast-plot' },
  ];
  const history = { epochs: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.2 / epoch })) };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    mark: 'line',
    data: { values: [{ x: 1, y: 2 }] },
  };
  await writeRun(
    runsDir,
    id,
    record('tiny-stock', i, stages, {
      figures: ['figures/forecastPlot.svg', 'figures/forecastPlot.png'],
      histories: ['histories/train.json'],
    }),
    { rmse: 1.5 + i, mae: 1 + i, nextDayForecast: 101 + i, nextDayAfter: '2026-01-01', lastValue: 100 },
    {
      'figures/forecastPlot.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
      'figures/forecastPlot.vl.json': JSON.stringify(spec),
      'histories/train.json': JSON.stringify(history),
    },
  );
  return id;
}

/** The best model's RMSE in backtest run i: the second of three is the best, the newest (third) the worst. */
export const backtestBestRmse = (i: number) => [52, 50, 54][i % 3] + 10 * Math.floor(i / 3);

/** A backtest's scores of one model, as compare-models writes them, at `rmse` against persistence's 55. */
const modelScores = (kind: 'baseline' | 'learned', rmse: number) => ({
  kind,
  rmse,
  mae: rmse * 0.8,
  mape: rmse / 30,
  smape: rmse / 30,
  mase: rmse / 13,
  theilU2: rmse / 55,
  directionalAccuracy: 0.5,
  rmseRatio: rmse / 55,
  dmStatistic: rmse === 55 ? 0 : rmse < 55 ? -2.5 : 1,
  dmPValue: rmse === 55 ? 1 : rmse < 55 ? 0.02 : 0.4,
  foldRmseMean: rmse,
  foldRmseStd: 3,
});

/**
 * A run of pipelines/stock-forecast.json (what `npm start` makes) as its folder holds one: a backtest's
 * model comparison in metrics.json (one model not run, with why) and the backtest chart with its spec.
 */
async function writeBacktestRun(runsDir: string, i: number): Promise<string> {
  const id = `stock-forecast-2026-01-01T12-4${i}-00-000`;
  const stages = [
    { id: 'load', type: 'preprocess.load-csv' },
    { id: 'backtest', type: 'forecast.backtest' },
    { id: 'backtestPlot', type: 'viz.backtest-plot' },
  ];
  const best = backtestBestRmse(i);
  const metrics = {
    models: {
      persistence: modelScores('baseline', 55),
      drift: modelScores('baseline', 54.5),
      'ridge-ar-5': modelScores('baseline', best),
      'origin-recipe': modelScores('learned', 80),
    },
    best: 'ridge-ar-5',
    origins: 30,
    horizon: 1,
    points: 30,
    verdict: `ridge-ar-5 had the lowest RMSE (${(100 * (1 - best / 55)).toFixed(1)}% lower RMSE than persistence); the Diebold-Mariano test finds the difference significant at 5% (p = 0.02).`,
    notRun: [{ name: 'lstm-returns-features', kind: 'learned', reason: 'a window of 400 values needs more history' }],
  };
  const dates = Array.from({ length: 30 }, (_, d) => `2020-01-${String(d + 1).padStart(2, '0')}`);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'sp500: backtest, every model',
    data: { values: dates.map((date, d) => ({ date, model: 'actual', value: 3000 + 10 * Math.sin(d) })) },
    mark: 'line',
    encoding: {
      x: { field: 'date', type: 'temporal' },
      y: { field: 'value', type: 'quantitative' },
      color: { field: 'model' },
    },
  };
  await writeRun(
    runsDir,
    id,
    record('stock-forecast', 40 + i, stages, { figures: ['figures/backtestPlot.svg', 'figures/backtestPlot.png'] }),
    metrics,
    {
      'figures/backtestPlot.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><title>sp500: backtest, every model</title><polyline points="0,100 200,50 400,120" fill="none" stroke="#1f77b4"/></svg>',
      'figures/backtestPlot.vl.json': JSON.stringify(spec),
    },
  );
  return id;
}

/** A run with a real (tiny) digit classifier: 28x28x1 -> dense 10, in the standard tfjs format. */
async function writeDigitRun(runsDir: string): Promise<string> {
  const id = 'mnist-cnn-2026-01-01T13-00-00-000';
  await writeRun(
    runsDir,
    id,
    record('mnist-cnn', 30, [{ id: 'train', type: 'models-cnn.train' }], { models: ['models/train'] }),
    { accuracy: 0.5 },
  );
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  await saveLayersModel(model, join(runsDir, id, 'models', 'train'));
  model.dispose();
  return id;
}

/** The class names of the colour run's model, in output order. */
export const COLOUR_CLASSES = ['red', 'green', 'blue'];

/**
 * A run trained on a folder of images, as the image-folder pipeline leaves one: a 16x16 RGB model
 * with 3 named classes (stored in model.json, images 'resized'). Its weights are set, not trained:
 * class k's score is the mean of channel k, so a red image is "red" (p ~0.87), green "green", blue "blue".
 */
export async function writeColourRun(runsDir: string): Promise<string> {
  const id = 'image-folder-2026-01-01T12-29-00-000';
  await writeRun(
    runsDir,
    id,
    record('image-folder', 29, [{ id: 'train', type: 'models-cnn.train' }], { models: ['models/train'] }),
    { accuracy: 1, classes: COLOUR_CLASSES },
  );
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [16, 16, 3] }),
      tf.layers.dense({ units: 3, activation: 'softmax', useBias: false }),
    ],
  });
  const inputs = 16 * 16 * 3;
  const kernel = tf.tensor2d(
    Float32Array.from({ length: inputs * 3 }, (_, i) => (Math.floor(i / 3) % 3 === i % 3 ? 0.01 : 0)),
    [inputs, 3],
  );
  model.setWeights([kernel]);
  kernel.dispose();
  setClassNames(model, { names: COLOUR_CLASSES, images: 'resized' });
  await saveLayersModel(model, join(runsDir, id, 'models', 'train'));
  model.dispose();
  return id;
}

async function writeSweep(runsDir: string, runs: string[]): Promise<string> {
  const id = 'tiny-stock-sweep-2026-01-01T11-00-00-000';
  const sweep: SweepRecord = {
    id,
    pipeline: 'tiny-stock',
    configFile: 'sweep.json',
    status: 'completed',
    startedAt: startedAt(0),
    durationMs: 2000,
    sweep: {
      method: 'grid',
      params: { 'stages.train.params.units': [4, 5] },
      objective: { metric: 'rmse', goal: 'min' },
    },
    trials: runs.map((run, trial) => ({
      trial,
      params: { 'stages.train.params.units': 4 + trial },
      status: 'completed',
      objective: 1.5 + trial,
      runs: [{ run, objective: 1.5 + trial, durationMs: 1000, computed: [] }],
    })),
    best: { trial: 0, objective: 1.5, run: runs[0], config: 'best.json' },
  };
  await mkdir(join(runsDir, 'sweeps', id), { recursive: true });
  await writeFile(join(runsDir, 'sweeps', id, 'sweep.json'), JSON.stringify(sweep, null, 2));
  return id;
}

/** Rewrites a run's run.json in place: `edit` gets the record (to make a run newer, or another kind). */
export async function editRunRecord(runsDir: string, id: string, edit: (record: Record<string, unknown>) => void) {
  const file = join(runsDir, id, 'run.json');
  const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(record);
  await writeFile(file, JSON.stringify(record));
}
