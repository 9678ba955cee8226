// `npm run bench [-- --quick] [-- --out FILE]`: training and prediction speed per backend, with the
// project's wasm kernels and with plain tfjs, each case in a fresh process. Prints a table and
// writes JSON (default bench-results/bench-<time>.json).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(here, '..', '..', 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);

function runCase(spec) {
  const child = spawnSync(process.execPath, [join(here, 'bench-case.js'), JSON.stringify(spec)], { encoding: 'utf8', timeout: 15 * 60 * 1000 });
  const line = child.stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line);
  } catch {
    return { ...spec, error: `case crashed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1)}` };
  }
}

function backendAvailable(backend) {
  const probe = runCase({ backend, kernels: 'plain', workload: 'cnn-predict', options: { batchSize: 1, batches: 1 } });
  return !probe.error?.startsWith('backend');
}

const workloads = [
  { workload: 'cnn-train', label: 'CNN train, batch 32', options: (b) => ({ batches: b === 'cpu' ? 1 : quick ? 10 : 40 }) },
  { workload: 'cnn-predict', label: 'CNN predict, batch 32', options: (b) => ({ batchSize: 32, batches: b === 'cpu' ? 2 : quick ? 10 : 40 }) },
  { workload: 'cnn-predict', label: 'CNN predict, batch 256', options: (b) => ({ batchSize: 256, batches: b === 'cpu' ? 1 : quick ? 4 : 10 }) },
  { workload: 'lstm-epoch', label: 'LSTM(50) epoch, 2,100 windows', options: () => ({ windows: 2100 }) },
];

const rows = [];
for (const backend of ['tensorflow', 'wasm', 'cpu'].filter(backendAvailable)) {
  for (const { workload, label, options } of workloads) {
    if (quick && backend === 'cpu' && workload === 'cnn-train') continue; // ~1 minute a batch
    // on wasm both differ (kernels and LSTM); elsewhere only the LSTM does
    const variants = backend === 'wasm' || workload === 'lstm-epoch' ? ['project', 'plain'] : ['project'];
    const results = Object.fromEntries(variants.map((kernels) => [kernels, runCase({ backend, kernels, workload, options: options(backend) })]));
    const { project, plain } = results;
    const ratio = project.value && plain?.value ? (project.unit === 's/epoch' ? plain.value / project.value : project.value / plain.value) : undefined;
    rows.push({ backend, case: label, project, plain, speedup: ratio });
    const fmt = (r) => (r ? (r.error ? `error: ${r.error.slice(0, 60)}` : `${r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit}`) : 'same as project');
    const leaks = [project, plain]
      .filter(Boolean)
      .map((r) => (r.error ? '-' : `${r.tensorsBefore}->${r.tensorsAfter}`))
      .join(', ');
    console.log(
      `${backend.padEnd(10)} ${label.padEnd(30)} project ${fmt(project).padEnd(22)} plain ${fmt(plain).padEnd(40)} speedup ${ratio ? ratio.toFixed(2) + 'x' : '-'}  peak RSS ${[
        project,
        plain,
      ]
        .filter(Boolean)
        .map((r) => r.peakRssMb + ' MB')
        .join(' / ')}  tensors ${leaks}`,
    );
  }
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, rows }, null, 2) + '\n');
console.log(`wrote ${outFile}`);
const leaked = rows.flatMap((r) => [r.project, r.plain]).filter((r) => r && !r.error && r.tensorsAfter !== r.tensorsBefore);
if (leaked.length) {
  console.error(`tensor leaks in: ${leaked.map((r) => `${r.backend} ${r.workload} (${r.kernels})`).join(', ')}`);
  process.exitCode = 1;
}
