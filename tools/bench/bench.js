// `npm run bench [-- --quick] [-- --cli] [-- --trees] [-- --augment] [-- --keras] [-- --out FILE]`: first how fast the CLI answers
// (cli-latency.js: each command 5 times, 3 with --quick, in fresh processes, the median against its
// target), how fast a table loads (table-load.js: 2M rows x 5 columns, 200k with --quick), how fast an
// image folder is read (image-decode.js: images/s, 1 and 8 at a time), then
// training and prediction speed per backend, each case in a fresh process (--cli: the CLI section
// only), then the tree ensembles (tree-workloads.js; --trees: that section only). Beside CNN training,
// training with augmentation on and off, as models-cnn.train runs (--augment: that case only). On wasm three ways:
// the project's kernels on every core, the same on one thread, and plain
// tfjs (stock kernels, one thread: what tfjs does in Node). --keras: that section alone, the compared
// workloads in Keras and ours back to back (keras-compare.js; skipped in one line without TensorFlow).
// Prints tables and writes JSON (default bench-results/bench-<time>.json).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCli } from './cli-latency.js';
import { measureImageDecode } from './image-decode.js';
import { compareWithKeras } from './keras-compare.js';
import { findKerasPython } from './keras-python.js';
import { fmt, speedup, times } from './ratios.js';
import { runCase } from './run-case.js';
import { measureTableLoad } from './table-load.js';
import { BENCH_TABLE } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const cliOnly = args.includes('--cli');
const treesOnly = args.includes('--trees');
const augmentOnly = args.includes('--augment');
const kerasOnly = args.includes('--keras');
const outFile = args.includes('--out')
  ? args[args.indexOf('--out') + 1]
  : join(here, '..', '..', 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);

function backendAvailable(backend) {
  const probe = runCase({ backend, kernels: 'plain', workload: 'cnn-predict', options: { batchSize: 1, batches: 1 } });
  return !probe.error?.startsWith('backend');
}

const workloads = [
  {
    workload: 'cnn-train',
    label: 'CNN train, batch 32',
    options: (b) => ({ batches: b === 'cpu' ? 1 : quick ? 10 : 40 }),
  },
  {
    workload: 'cnn-predict',
    label: 'CNN predict, batch 32',
    options: (b) => ({ batchSize: 32, batches: b === 'cpu' ? 2 : quick ? 10 : 40 }),
  },
  {
    workload: 'cnn-predict',
    label: 'CNN predict, batch 256',
    options: (b) => ({ batchSize: 256, batches: b === 'cpu' ? 1 : quick ? 4 : 10 }),
  },
  {
    workload: 'cnn-latency',
    label: 'CNN predict, batch 1 (ms a call)',
    options: (b) => ({ warmup: b === 'cpu' ? 1 : 5, calls: b === 'cpu' ? 3 : quick ? 10 : 50 }),
  },
  // one warm-up epoch, then the fastest of the timed ones (one with --quick)
  {
    workload: 'lstm-epoch',
    label: 'LSTM(50) epoch, 2,100 windows',
    options: () => ({ windows: 2100, timedEpochs: quick ? 1 : 2 }),
  },
  {
    workload: 'gru-epoch',
    label: `GRU(50) epoch, ${quick ? 500 : '2,100'} windows`,
    options: () => ({ windows: quick ? 500 : 2100, timedEpochs: quick ? 1 : 2 }),
  },
  {
    workload: 'dense-table-epoch',
    label: `dense table epoch, ${(quick ? 5_000 : BENCH_TABLE.rows).toLocaleString('en')} x ${BENCH_TABLE.inputs}`,
    options: () => ({ ...BENCH_TABLE, rows: quick ? 5_000 : BENCH_TABLE.rows, timedEpochs: quick ? 1 : 2 }),
  },
];

/**
 * Tree ensembles (plain JavaScript, one thread, no backend): the forest and boosted trees at the
 * size the forest's target is set for (100 trees on 10,000 x 50 in at most 30 s), and the forest
 * against ml-random-forest at a size that library finishes.
 */
function measureTrees() {
  const big = quick ? { rows: 2000, cols: 50, trees: 20 } : { rows: 10000, cols: 50, trees: 100 };
  const small = quick ? { rows: 1000, cols: 50, trees: 5 } : { rows: 2000, cols: 50, trees: 10 };
  const size = (o) => `${o.trees} trees, ${o.rows.toLocaleString('en')} x ${o.cols}`;
  const cases = [
    { label: `random forest ${size(big)}`, workload: 'trees', options: { kind: 'random-forest', ...big } },
    { label: `boosted trees ${size(big)} (rounds)`, workload: 'trees', options: { kind: 'gradient-boosting', ...big } },
    { label: `random forest ${size(small)}`, workload: 'trees', options: { kind: 'random-forest', ...small } },
    { label: `ml-random-forest ${size(small)}`, workload: 'ml-random-forest', options: small },
  ];
  const results = cases.map((c) => ({ case: c.label, ...runCase({ workload: c.workload, options: c.options }) }));
  for (const r of results) {
    const extra = r.error ? '' : `accuracy ${r.accuracy.toFixed(3)}  peak RSS ${r.peakRssMb} MB`;
    console.log(`trees      ${r.case.padEnd(44)} ${fmt(r).padEnd(18)} ${extra}`);
  }
  const [forest, , ours, theirs] = results;
  if (!quick && forest.value)
    console.log(
      `trees      forest target (100 trees on 10,000 x 50 in <= 30 s): ${forest.value <= 30 ? 'met' : 'MISSED'}`,
    );
  const ratio = speedup(ours, theirs);
  if (ratio)
    console.log(`trees      this forest is ${ratio.toFixed(1)}x faster than ml-random-forest at ${size(small)}`);
  return results;
}

const cores = availableParallelism();
/**
 * The optional oneDNN kernels as core-tensor loads them (the platform package, else a source build),
 * asked in a child process so this one stays free of TensorFlow.js: measured where they load, beside wasm alone.
 */
function probeNativeKernels() {
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { nativeKernelsStatus } from '@stagegraph/core-tensor'; console.log(JSON.stringify(nativeKernelsStatus()));",
    ],
    { encoding: 'utf8', cwd: here },
  );
  try {
    return JSON.parse(probe.stdout.trim().split('\n').at(-1));
  } catch {
    return { active: false, why: `the probe failed: ${probe.stderr.trim().split('\n').at(-1)}` };
  }
}
const nativeStatus = probeNativeKernels();
const nativeBuilt = nativeStatus.active;

/**
 * Seed-CNN training through fitSeeded with augmentation off and on (BENCH_AUGMENT in workloads.js),
 * once per backend, the way a run trains: on wasm the native kernels where built, else the project's on every core.
 */
function measureAugmentation(backend) {
  const spec = { backend, kernels: 'project', workload: 'cnn-train-augment', options: { batches: quick ? 10 : 40 } };
  const result = runCase({
    ...spec,
    native: backend === 'wasm' && nativeBuilt,
    threads: nativeBuilt ? undefined : cores,
  });
  const row = { backend, case: 'CNN train + augmentation, batch 32', ...result };
  const ratio = result.error
    ? ''
    : `on/off ${(result.value / result.off).toFixed(2)}x  augmentation alone ${Math.round(result.augmentRate).toLocaleString('en')} images/s`;
  const off = result.error ? '-' : `${result.off.toFixed(1)} samples/s`;
  console.log(
    `${backend.padEnd(10)} ${row.case.padEnd(34)} (${result.threads ?? '?'} thr${backend === 'wasm' && nativeBuilt ? ' +oneDNN' : ''}) augmentation off ${off.padEnd(18)} on ${fmt(result).padEnd(18)} ${ratio}  peak RSS ${result.peakRssMb} MB  tensors ${result.tensorsBefore}->${result.tensorsAfter}`,
  );
  return row;
}

/** --keras: Keras against ours on the compared workloads, or one line saying why not. */
function measureKeras() {
  const found = findKerasPython();
  if (found.why) {
    console.log(found.why);
    return { skipped: found.why };
  }
  return {
    python: found.python,
    tensorflow: found.tensorflow,
    rows: compareWithKeras({ ...found, nativeBuilt, cores }),
  };
}

const keras = kerasOnly ? measureKeras() : undefined;
const skipCli = treesOnly || augmentOnly || kerasOnly;
const cli = skipCli ? undefined : measureCli({ repeats: quick ? 3 : 5 });
if (!cliOnly && !treesOnly)
  console.log(
    nativeBuilt
      ? `native kernels: oneDNN from the ${nativeStatus.source} (${nativeStatus.path})`
      : `native kernels: ${nativeStatus.why}; wasm alone measured`,
  );
// tables: load time and peak RSS of flights-200k.arrow and a generated 2M x 5 table (table-load.js)
const tableLoad = cliOnly || treesOnly || augmentOnly || kerasOnly ? [] : await measureTableLoad({ quick });
const imageDecode = cliOnly || treesOnly || augmentOnly || kerasOnly ? [] : await measureImageDecode({ quick });
const rows = [];
const augmentation = [];
for (const backend of cliOnly || treesOnly || kerasOnly ? [] : ['tensorflow', 'wasm', 'cpu'].filter(backendAvailable)) {
  // augmentation on the backends that train at a useful speed (the pure-JS cpu backend does not)
  if (augmentOnly) {
    if (backend !== 'cpu') augmentation.push(measureAugmentation(backend));
    continue;
  }
  for (const { workload, label, options } of workloads) {
    if (quick && backend === 'cpu' && workload === 'cnn-train') continue; // ~1 minute a batch
    // the pure-JS backend takes tens of seconds an epoch; wasm checks these rows' tensors in a quick run
    if (quick && backend === 'cpu' && ['gru-epoch', 'dense-table-epoch'].includes(workload)) continue;
    const run = (kernels, threads, native = false) =>
      runCase({ backend, kernels, workload, threads, native, options: options(backend) });
    // wasm: native kernels (default threads), then wasm alone on every core and on one, then plain tfjs
    const native = backend === 'wasm' && nativeBuilt ? run('project', undefined, true) : undefined;
    const project = run('project', backend === 'wasm' ? cores : undefined);
    const oneThread = backend === 'wasm' && cores > 1 ? run('project', 1) : undefined;
    const plain =
      backend === 'wasm' || workload === 'lstm-epoch' ? run('plain', backend === 'wasm' ? 1 : undefined) : undefined;
    const row = {
      backend,
      case: label,
      threads: project.threads,
      native,
      project,
      oneThread,
      plain,
      nativeSpeedup: speedup(native, project),
      threadsSpeedup: speedup(project, oneThread),
      speedup: speedup(native ?? project, plain),
    };
    rows.push(row);
    const results = [native, project, oneThread, plain].filter(Boolean);
    const leaks = results.map((r) => (r.error ? '-' : `${r.tensorsBefore}->${r.tensorsAfter}`)).join(', ');
    const rss = results.map((r) => `${r.peakRssMb} MB`).join(' / ');
    const nativeText =
      backend === 'wasm' && nativeBuilt ? `+oneDNN (wasm ${native.threads ?? '?'} thr) ${fmt(native).padEnd(18)} ` : '';
    console.log(
      `${backend.padEnd(10)} ${label.padEnd(30)} ${nativeText}project (${project.threads ?? '?'} thr) ${fmt(project).padEnd(18)} 1 thread ${fmt(oneThread).padEnd(18)} plain tfjs ${fmt(plain).padEnd(18)} ` +
        `${nativeText && `oneDNN ${times(row.nativeSpeedup).padEnd(6)} `}threads ${times(row.threadsSpeedup).padEnd(6)} vs plain ${times(row.speedup).padEnd(6)} peak RSS ${rss}  tensors ${leaks}`,
    );
    if (workload === 'cnn-train' && backend !== 'cpu') augmentation.push(measureAugmentation(backend));
  }
}
const trees = cliOnly || augmentOnly || kerasOnly ? [] : measureTrees();
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      quick,
      node: process.version,
      nativeKernels: nativeStatus,
      cli,
      tableLoad,
      imageDecode,
      rows,
      augmentation,
      trees,
      keras,
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${outFile}`);
const leaked = [
  ...rows.flatMap((r) => [r.native, r.project, r.oneThread, r.plain]),
  ...augmentation,
  ...(keras?.rows ?? []).map((r) => r.ours),
].filter((r) => r && !r.error && r.tensorsAfter !== r.tensorsBefore);
if (leaked.length) {
  console.error(`tensor leaks in: ${leaked.map((r) => `${r.backend} ${r.workload} (${r.kernels})`).join(', ')}`);
  process.exitCode = 1;
}
