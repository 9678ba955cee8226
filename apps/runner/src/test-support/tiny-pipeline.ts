import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '../output.js';

/** A throwaway folder with a small price CSV and a quick stock pipeline config reading it. */
export async function tinyWorkspace(rows = 160) {
  const dir = await mkdtemp(join(tmpdir(), 'sg-cli-'));
  const start = Date.UTC(2020, 0, 1);
  const lines = ['Date,Open,Close'];
  for (let i = 0; i < rows; i++) {
    const date = new Date(start + i * 86400000).toISOString().slice(0, 10);
    lines.push(`${date},0,${(100 + i * 0.5 + 5 * Math.sin(i / 5)).toFixed(3)}`);
  }
  await writeFile(join(dir, 'prices.csv'), lines.join('\n') + '\n');
  const config = tinyConfig('prices.csv');
  await writeFile(join(dir, 'pipeline.json'), JSON.stringify(config, null, 2));
  await mkdir(join(dir, 'runs'));
  return { dir, config, file: (name: string) => join(dir, name) };
}

export function tinyConfig(path: string, epochs = 2) {
  return {
    name: 'tiny-stock',
    seed: 7,
    stages: {
      load: { type: 'preprocess.load-csv', params: { path, column: 'Close', dateColumn: 'Date' } },
      split: { type: 'preprocess.chrono-split', params: { trainFraction: 0.8 }, inputs: { series: 'load.series' } },
      scale: { type: 'preprocess.minmax-scale', inputs: { train: 'split.train', test: 'split.test' } },
      windows: {
        type: 'preprocess.windows',
        params: { seqLength: 5 },
        inputs: { train: 'scale.train', test: 'scale.test' },
      },
      train: {
        type: 'models-lstm.train',
        params: { units: 4, epochs, batchSize: 16, patience: 5 },
        inputs: { x: 'windows.xTrain', y: 'windows.yTrain' },
      },
      predict: { type: 'models-lstm.predict', inputs: { model: 'train.model', x: 'windows.xTest' } },
      unscale: { type: 'preprocess.inverse-minmax', inputs: { values: 'predict.predictions', scaler: 'scale.scaler' } },
      nextDay: {
        type: 'models-lstm.forecast-next',
        inputs: { model: 'train.model', series: 'load.series', scaler: 'scale.scaler' },
      },
      metrics: {
        type: 'metrics.regression',
        inputs: { actual: 'split.test', predicted: 'unscale.values', history: 'split.train' },
      },
      forecastPlot: {
        type: 'viz.forecast-plot',
        params: { scale: 1 },
        inputs: { actual: 'split.test', predicted: 'unscale.values' },
      },
      lossPlot: { type: 'viz.loss-plot', params: { scale: 1 }, inputs: { history: 'train.history' } },
    },
  };
}

/** An Output that keeps what a command printed. */
export function captureOutput(): Output & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}

/** The newest run folder under `runsDir` of a one-pipeline test (names sort by time only within a pipeline), with its run.json and metrics.json. */
export async function newestRun(runsDir = 'runs') {
  const name = (await readdir(runsDir))
    .filter((n) => !n.startsWith('.') && n !== 'sweeps')
    .sort()
    .at(-1)!;
  const dir = join(runsDir, name);
  return {
    dir,
    record: JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')),
    metrics: JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')),
  };
}
