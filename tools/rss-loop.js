// Runs a small pipeline many times in one process and reports RSS and tensor counts after each run,
// to show that repeated runs do not grow memory.  node --expose-gc tools/rss-loop.js [--runs 50] [--cache]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorCount } from '@stagegraph/core-tensor';
import { main } from 'stagegraph';

const arg = (name, fallback) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const runs = Number(arg('runs', 50));
const useCache = process.argv.includes('--cache');
const dir = mkdtempSync(join(tmpdir(), 'sg-rss-'));
const rows = ['Date,Close'];
for (let i = 0; i < 300; i++)
  rows.push(
    `${new Date(Date.UTC(2020, 0, 1) + i * 86400000).toISOString().slice(0, 10)},${(100 + i * 0.5 + 5 * Math.sin(i / 5)).toFixed(3)}`,
  );
writeFileSync(join(dir, 'prices.csv'), rows.join('\n') + '\n');
const config = JSON.parse(
  JSON.stringify({
    name: 'rss-loop',
    seed: 1,
    stages: {
      load: { type: 'preprocess.load-csv', params: { path: join(dir, 'prices.csv') } },
      split: { type: 'preprocess.chrono-split', inputs: { series: 'load.series' } },
      scale: { type: 'preprocess.minmax-scale', inputs: { train: 'split.train', test: 'split.test' } },
      windows: {
        type: 'preprocess.windows',
        params: { seqLength: 10 },
        inputs: { train: 'scale.train', test: 'scale.test' },
      },
      train: {
        type: 'models-lstm.train',
        params: { units: 8, epochs: 2 },
        inputs: { x: 'windows.xTrain', y: 'windows.yTrain' },
      },
      predict: { type: 'models-lstm.predict', inputs: { model: 'train.model', x: 'windows.xTest' } },
      unscale: { type: 'preprocess.inverse-minmax', inputs: { values: 'predict.predictions', scaler: 'scale.scaler' } },
      metrics: {
        type: 'metrics.regression',
        inputs: { actual: 'split.test', predicted: 'unscale.values', history: 'split.train' },
      },
      plot: {
        type: 'viz.forecast-plot',
        params: { scale: 1 },
        inputs: { actual: 'split.test', predicted: 'unscale.values' },
      },
    },
  }),
);
writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(config));
mkdirSync(join(dir, 'runs'));
const quiet = { out: () => {}, err: (t) => process.stderr.write(t), isTTY: false };
const samples = [];
for (let i = 1; i <= runs; i++) {
  const code = await main(
    [
      'run',
      join(dir, 'pipeline.json'),
      '--out',
      join(dir, 'runs'),
      '--cache-dir',
      join(dir, 'cache'),
      ...(useCache ? [] : ['--no-cache']),
    ],
    quiet,
  );
  if (code !== 0) throw new Error(`run ${i} exited ${code}`);
  globalThis.gc?.();
  const memory = process.memoryUsage();
  samples.push({
    run: i,
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
    externalMb: memory.external / 2 ** 20,
    tensors: tensorCount(),
  });
}
rmSync(dir, { recursive: true, force: true });
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const first = mean(samples.slice(1, 6).map((s) => s.rssMb)); // run 1 includes start-up allocations
const last = mean(samples.slice(-5).map((s) => s.rssMb));
console.log(
  samples.map((s) => `${s.run}:${s.rssMb.toFixed(0)}/${s.heapMb.toFixed(0)}/${s.externalMb.toFixed(0)}`).join(' '),
  '(run:RSS/JS heap/external MB)',
);
console.log(
  `${runs} runs (${useCache ? 'cached' : '--no-cache'}): RSS runs 2-6 mean ${first.toFixed(1)} MB, last 5 mean ${last.toFixed(1)} MB (${(((last - first) / first) * 100).toFixed(1)}%), max ${Math.max(...samples.map((s) => s.rssMb)).toFixed(1)} MB; tensors after each run: ${[...new Set(samples.map((s) => s.tensors))].join(', ')}${globalThis.gc ? '' : ' (run with --expose-gc for steadier numbers)'}`,
);
