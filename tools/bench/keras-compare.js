// `npm run bench -- --keras`: the same workloads in Keras (tools/bench/keras/bench_keras.py) and ours,
// back to back per workload, each side twice with who goes first alternating, the faster of each kept
// (the machine is shared and noisy), in fresh processes; both sides at their default threads. Prints a table of ratios (>1: ours faster).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, speedup, times } from './ratios.js';
import { runCase } from './run-case.js';
import { BENCH_TABLE } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'keras', 'bench_keras.py');

/** The MNIST folder of ../shared/data (STAGEGRAPH_BENCH_MNIST overrides), or undefined: synthetic images then. */
function mnistFolder() {
  const dir = process.env.STAGEGRAPH_BENCH_MNIST ?? join(here, '..', '..', '..', 'shared', 'data', 'mnist-10k');
  return existsSync(join(dir, 'train-images-idx3-ubyte.gz')) ? dir : undefined;
}

/** The compared workloads: one spec each, the same options on both sides. */
function comparedWorkloads() {
  const mnist = mnistFolder();
  const tableSize = `${BENCH_TABLE.rows.toLocaleString('en')} x ${BENCH_TABLE.inputs}`;
  return [
    {
      label: `CNN train, batch 32, 10k ${mnist ? 'MNIST' : 'synthetic'}`,
      workload: 'cnn-train-epochs',
      options: { images: 10_000, mnist, timedEpochs: 2 },
    },
    { label: 'CNN predict, batch 256', workload: 'cnn-predict', options: { batchSize: 256, batches: 20, rounds: 3 } },
    { label: 'CNN predict, batch 1 (latency)', workload: 'cnn-latency', options: { warmup: 10, calls: 100 } },
    { label: 'LSTM(50) epoch, 2,100 windows', workload: 'lstm-epoch', options: { windows: 2100, timedEpochs: 2 } },
    { label: 'GRU(50) epoch, 2,100 windows', workload: 'gru-epoch', options: { windows: 2100, timedEpochs: 2 } },
    {
      label: `dense table epoch, ${tableSize}`,
      workload: 'dense-table-epoch',
      options: { ...BENCH_TABLE, timedEpochs: 2 },
    },
  ];
}

/** One Keras case in its own Python process: its JSON line, or an error. */
function runKeras(python, workload, options) {
  const child = spawnSync(python, [script, workload, JSON.stringify(options)], {
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  try {
    return JSON.parse(child.stdout.trim().split('\n').at(-1));
  } catch {
    return { error: `keras case failed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1)}` };
  }
}

/** What a ratio means for a unit: throughput ours/Keras, time Keras/ours (>1: ours faster either way). */
const ratioKind = (unit) => (unit === 'samples/s' ? 'ours/Keras throughput' : `Keras/ours ${unit}`);

/** Threads a side used, from its results: wasm's pool, or TensorFlow's settings (0: its default, every core). */
function threadsLine(rows, { cores, nativeBuilt }) {
  const mine = rows.find((r) => r.ours.threads)?.ours.threads;
  const keras = rows.find((r) => r.keras.intraOpThreads !== undefined)?.keras;
  const tfThreads = (n) => (n === 0 ? `0 = default, ${keras.cores} cores` : n);
  return (
    `keras      threads: ours wasm ${mine ?? '?'}${nativeBuilt ? ' + oneDNN (its own default)' : ''} of ${cores} cores; ` +
    (keras
      ? `Keras ${keras.keras} on TensorFlow ${keras.tensorflow}, intra-op ${tfThreads(keras.intraOpThreads)}, inter-op ${tfThreads(keras.interOpThreads)}`
      : 'Keras -')
  );
}

/**
 * Measures each compared workload on our side (wasm with our kernels, oneDNN where built: how a run
 * computes) and in Keras, prints the table and returns its rows for the bench JSON.
 */
export function compareWithKeras({ python, nativeBuilt, cores }) {
  const sides = (w) => ({
    ours: () =>
      runCase({
        backend: 'wasm',
        kernels: 'project',
        workload: w.workload,
        native: nativeBuilt,
        threads: nativeBuilt ? undefined : cores,
        options: w.options,
      }),
    keras: () => runKeras(python, w.workload, w.options),
  });
  console.log(`keras      ${'workload'.padEnd(36)} ${'ours'.padEnd(20)} ${'Keras'.padEnd(20)} ratio (>1: ours faster)`);
  const rows = comparedWorkloads().map((w, i) => {
    const run = sides(w);
    // each side twice, alternating who goes first, and each side's faster result kept: a slow spell
    // on the shared machine then has to hit both of one side's runs to show in the ratio
    const faster = (a, b) => (a.error ? b : b.error ? a : (speedup(a, b) ?? 1) >= 1 ? a : b);
    let mine, keras;
    for (const round of [0, 1]) {
      const [m, k] = (i + round) % 2 === 0 ? [run.ours(), run.keras()] : [run.keras(), run.ours()].reverse();
      mine = mine ? faster(mine, m) : m;
      keras = keras ? faster(keras, k) : k;
    }
    const ratio = speedup(mine, keras);
    const unit = mine.unit ?? keras.unit;
    const notes = [
      keras.call && `Keras ${keras.call}`,
      mine.data && `data ${mine.data}`,
      typeof mine.nativeKernels === 'object'
        ? `oneDNN calls ${Object.values(mine.nativeKernels).reduce((sum, n) => sum + n, 0)}`
        : mine.nativeKernels && `oneDNN off: ${mine.nativeKernels}`,
      !mine.error && `tensors ${mine.tensorsBefore}->${mine.tensorsAfter}`,
    ].filter(Boolean);
    console.log(
      `keras      ${w.label.padEnd(36)} ${fmt(mine).padEnd(20)} ${fmt(keras).padEnd(20)} ${times(ratio).padEnd(7)} ${unit ? `(${ratioKind(unit)})` : ''}  ${notes.join(', ')}`,
    );
    return {
      case: w.label,
      workload: w.workload,
      options: w.options,
      ratio,
      ratioKind: unit && ratioKind(unit),
      ours: mine,
      keras,
    };
  });
  console.log(threadsLine(rows, { cores, nativeBuilt }));
  return rows;
}
