// How long the CLI takes to answer, each command in a fresh process as a user runs it (`node
// apps/runner/bin/stagegraph.js ...`): the median of `repeats` against the target of issue 27.
// `node tools/bench/cli-latency.js [--quick] [--root CHECKOUT]` runs this section alone (on another
// checkout's built CLI with --root, to compare before and after); bench.js runs it first.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const root = args.includes('--root')
  ? args[args.indexOf('--root') + 1]
  : join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(root, 'apps', 'runner', 'bin', 'stagegraph.js');
const CONFIG = join('pipelines', 'stock-lstm.json');

/** Seconds `stagegraph <args>` took, from spawn to exit; a failure stops the section, saying which command. */
function timeCommand(args) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8', timeout: 10 * 60 * 1000 });
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0)
    throw new Error(
      `stagegraph ${args.join(' ')}: exit ${child.status}: ${(child.stderr || child.stdout).trim().split('\n').at(-1)}`,
    );
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** 100 finished runs for `runs ls`: copies of one real run folder, each under its own time. */
function writeRuns(from, to, count) {
  mkdirSync(to, { recursive: true });
  const record = JSON.parse(readFileSync(join(from, 'run.json'), 'utf8'));
  for (let i = 0; i < count; i++) {
    const startedAt = new Date(Date.parse(record.startedAt) - i * 60_000).toISOString();
    const dir = join(to, `${record.pipeline}-${startedAt.replace(/[:.]/g, '-').replace('Z', '')}`);
    cpSync(from, dir, { recursive: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, startedAt }, null, 2) + '\n');
  }
}

/** Each command `repeats` times: [{ command, seconds: [...], median, target, ok }]. */
export function measureCli({ repeats = 5, log = console.log } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'sg-bench-cli-'));
  try {
    const store = ['--cache-dir', join(work, 'cache'), '--out', join(work, 'runs')];
    log(`cli: filling a cache with ${CONFIG} (trains once)...`);
    timeCommand(['run', CONFIG, ...store, '--quiet']);
    const [made] = readdirSync(join(work, 'runs')).filter((name) => !name.startsWith('.'));
    writeRuns(join(work, 'runs', made), join(work, 'listing'), 100);
    const cases = [
      { command: ['--version'], target: 0.3 },
      { command: ['--help'], target: 0.3 },
      { command: ['validate', CONFIG, '--no-data'], target: 0.8 },
      // the data check loads DuckDB (about half a second) to look at the CSV's header and first rows
      { command: ['validate', CONFIG], target: 1.5 },
      { command: ['run', CONFIG, ...store, '--quiet'], label: `run ${CONFIG} (every stage cached)`, target: 1.2 },
      { command: ['runs', 'ls', '--out', join(work, 'listing')], label: 'runs ls (100 runs)', target: 1 },
    ];
    return cases.map(({ command, label, target }) => {
      const seconds = Array.from({ length: repeats }, () => timeCommand(command));
      const row = {
        command: label ?? command.join(' '),
        seconds,
        median: median(seconds),
        target,
        ok: median(seconds) <= target,
      };
      log(
        `cli: ${row.command.padEnd(48)} median ${row.median.toFixed(2)} s of ${repeats}  target <= ${target} s  ${row.ok ? 'ok' : 'OVER'}`,
      );
      return row;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) measureCli({ repeats: args.includes('--quick') ? 3 : 5 });
