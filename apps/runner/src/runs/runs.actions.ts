import { metricColumns, numericMetricPaths } from '../metric-paths.js';
import { stat } from 'node:fs/promises';
import { escapeControlCharacters, UserInputError } from '@stagegraph/pipeline';
import type { Output } from '../output.js';
import { formatDuration, formatNumber } from '../render/format.js';
import { csvTable, shortNames, textTable, type Table } from '../render/table.js';
import { listSweeps, rankTrials, readSweep, type SweepRecord } from '../sweep/sweep-record.js';
import { listRuns, resolveRun, type CorruptRecord, type RunEntry, type RunListing } from './run-index.js';
import { paramAt } from './param-at.js';

export interface RunsArgs {
  out: string;
  json?: boolean;
  csv?: boolean;
}

/** Prints a table as text, CSV or (with `--json`) the data it was made from; never a record's control bytes raw. */
function print(output: Output, args: RunsArgs, table: Table, data: unknown) {
  output.out(args.json ? JSON.stringify(data, null, 2) + '\n' : args.csv ? escapeControlCharacters(csvTable(table)) : textTable(table));
}

async function runsIn(out: string): Promise<RunListing> {
  const info = await stat(out).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserInputError(`--out ${out}: expected a folder of runs, got ${info ? 'a file' : 'no such folder'}`);
  return listRuns(out);
}

/** The corrupt records a listing left out, one warning line each (stderr: the table on stdout stays data). */
function warnCorrupt(output: Output, corrupt: CorruptRecord[]) {
  for (const c of corrupt) output.err(escapeControlCharacters(`warning: ${c.id}: ${c.file} is corrupt (left out): ${c.problem}\n`));
}

/** A run named by the user: the one resolver (run-index.ts), with the runs folder in its messages. */
const findRun = (listing: RunListing, ref: string, out: string) => resolveRun(listing, ref, `in ${out}`);

const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const numericMetrics = (run: RunEntry) => numericMetricPaths(run.metrics);
const summary = (run: RunEntry) => ({
  id: run.id,
  pipeline: run.pipeline,
  startedAt: run.startedAt,
  status: run.status,
  durationMs: run.durationMs,
  backend: run.backend,
  threads: run.threads,
  ...(run.sweep && { sweep: run.sweep.id, trial: run.sweep.trial, rung: run.sweep.rung, budget: run.sweep.budget }),
  ...(run.headline && { [run.headline.name]: run.headline.value }),
});

/** `stagegraph runs ls`: every run, newest first, a sweep's trials grouped under it. */
export async function runsListAction(args: RunsArgs, output: Output): Promise<void> {
  const { runs, corrupt } = await runsIn(args.out);
  const { sweeps, corrupt: corruptSweeps } = await listSweeps(args.out);
  if (args.json) return print(output, args, { columns: [], rows: [] }, { runs: runs.map(summary), sweeps: sweeps.map(sweepSummary), corrupt: [...corrupt, ...corruptSweeps] });
  warnCorrupt(output, [...corrupt, ...corruptSweeps]);
  const rows: Record<string, unknown>[] = [];
  const listed = new Set<string>();
  const row = (run: RunEntry, indent = '') => ({
    run: `${indent}${run.id}`,
    started: run.startedAt.replace('T', ' ').slice(0, 19),
    status: run.status,
    duration: run.durationMs === undefined ? '' : formatDuration(run.durationMs),
    trial: run.sweep ? `${run.sweep.trial}${run.sweep.budget !== undefined ? ` (${run.sweep.budget} ep)` : ''}` : '',
    metric: run.headline ? `${run.headline.name}=${formatNumber(run.headline.value)}` : '',
  });
  // newest first, a sweep placed where its start falls, its trials under it
  const items = [...runs.filter((r) => !r.sweep).map((r) => ({ at: r.startedAt, run: r })), ...sweeps.map((s) => ({ at: s.startedAt, sweep: s }))].sort((a, b) =>
    b.at.localeCompare(a.at),
  );
  for (const item of items) {
    if ('run' in item && item.run) rows.push(row(item.run));
    else if ('sweep' in item && item.sweep) {
      const s = item.sweep;
      const objective = s.sweep.objective.metric;
      rows.push({
        run: `sweep ${s.id}`,
        started: s.startedAt.replace('T', ' ').slice(0, 19),
        status: s.status,
        duration: s.durationMs === undefined ? '' : formatDuration(s.durationMs),
        trial: `${s.trials.length} ${s.sweep.method}`,
        metric: s.best ? `best ${objective}=${formatNumber(s.best.objective)}` : '',
      });
      for (const run of runs.filter((r) => r.sweep?.id === s.id).reverse()) {
        listed.add(run.id);
        const value = numericMetrics(run)[objective]; // a path into nested metrics too: models.<name>.rmse
        rows.push({ ...row(run, '  '), metric: value === undefined ? `${objective}: none` : `${objective}=${formatNumber(value)}` });
      }
    }
  }
  // trials whose sweep record is gone still show
  for (const run of runs.filter((r) => r.sweep && !listed.has(r.id))) rows.push(row(run));
  if (rows.length === 0) return void output.out(`no runs in ${args.out}\n`);
  const table = { columns: ['run', 'started', 'status', 'duration', 'trial', 'metric'], rows };
  output.out(
    args.csv ? escapeControlCharacters(csvTable({ columns: ['id', 'pipeline', 'startedAt', 'status', 'durationMs', 'sweep', 'trial', 'budget'], rows: runs.map(summary) })) : textTable(table),
  );
}

const sweepSummary = (s: SweepRecord) => ({
  id: s.id,
  pipeline: s.pipeline,
  method: s.sweep.method,
  status: s.status,
  startedAt: s.startedAt,
  durationMs: s.durationMs,
  trials: s.trials.length,
  objective: s.sweep.objective,
  best: s.best,
});

/** `stagegraph runs show <run>`: what ran, with what, and what came out. */
export async function runsShowAction(args: RunsArgs & { run: string }, output: Output): Promise<void> {
  const run = findRun(await runsIn(args.out), args.run, args.out);
  const facts: [string, unknown][] = [
    ['run', run.id],
    ['pipeline', run.pipeline],
    ['started', run.startedAt],
    ['status', run.status],
    ['duration', run.durationMs === undefined ? undefined : formatDuration(run.durationMs)],
    ['backend', run.threads ? `${run.backend} (${run.threads} thread${run.threads > 1 ? 's' : ''})` : run.backend],
    ['git', run.git && `${run.git.commit.slice(0, 12)}${run.git.dirty ? ' (uncommitted changes)' : ''}`],
    [
      'versions',
      run.versions &&
        Object.entries(run.versions)
          .map(([p, v]) => `${p}@${v}`)
          .join(' '),
    ],
    ['sweep', run.sweep && `${run.sweep.id}, trial ${run.sweep.trial}${run.sweep.budget !== undefined ? `, ${run.sweep.budget} epochs` : ''}`],
  ];
  const table = {
    columns: ['name', 'value'],
    rows: [
      ...facts.filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value: String(value) })),
      ...Object.entries(run.params).map(([name, value]) => ({ name, value: typeof value === 'number' ? value : JSON.stringify(value) })),
      ...Object.entries(metricColumns(run.metrics)).map(([name, value]) => ({ name: `metrics.${name}`, value: typeof value === 'number' ? value : JSON.stringify(value) })),
    ],
  };
  print(output, args, table, run);
}

interface DiffRow {
  kind: 'param' | 'metric';
  name: string;
  a: unknown;
  b: unknown;
  delta?: number;
  relative?: number;
}

/** `stagegraph runs diff <a> <b>`: the params and metrics that differ, metrics with b - a. */
export async function runsDiffAction(args: RunsArgs & { a: string; b: string }, output: Output): Promise<void> {
  const listing = await runsIn(args.out);
  const [a, b] = [findRun(listing, args.a, args.out), findRun(listing, args.b, args.out)];
  const differs = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y);
  const keys = (x: object, y: object) => [...new Set([...Object.keys(x), ...Object.keys(y)])];
  const params: DiffRow[] = keys(a.params, b.params)
    .filter((k) => differs(a.params[k], b.params[k]))
    .map((name) => ({ kind: 'param' as const, name, a: a.params[name], b: b.params[name] }));
  const [am, bm] = [metricColumns(a.metrics), metricColumns(b.metrics)];
  const metrics: DiffRow[] = keys(am, bm)
    .filter((k) => differs(am[k], bm[k]))
    .map((name) => {
      const [x, y] = [am[name], bm[name]];
      const numbers = typeof x === 'number' && typeof y === 'number';
      return { kind: 'metric' as const, name, a: x, b: y, ...(numbers && { delta: y - x, ...(x !== 0 && { relative: (y - x) / Math.abs(x) }) }) };
    });
  const text = (v: unknown) => (typeof v === 'number' || v === undefined ? v : JSON.stringify(v));
  const rows = [...params, ...metrics].map((r) => ({
    ...r,
    a: text(r.a),
    b: text(r.b),
    change: r.relative === undefined ? '' : percent(r.relative),
  }));
  if (!args.json && !args.csv && rows.length === 0) return void output.out(`${a.id} and ${b.id}: same params and metrics\n`);
  if (!args.json && !args.csv) output.out(`a: ${a.id}\nb: ${b.id}\n`);
  print(output, args, { columns: ['kind', 'name', 'a', 'b', 'delta', 'change'], rows }, { a: a.id, b: b.id, params, metrics });
}

/**
 * `stagegraph runs compare [runs..] [--sweep ID|latest]`: runs side by side, the params that vary
 * between them and their metrics; a sweep's trials sorted by its objective.
 */
export async function runsCompareAction(args: RunsArgs & { runs: string[]; sweep?: string }, output: Output): Promise<void> {
  const listing = await runsIn(args.out);
  const all = listing.runs;
  let chosen: RunEntry[];
  let sweep: SweepRecord | undefined;
  if (args.sweep !== undefined) {
    sweep = args.sweep === 'latest' ? (await listSweeps(args.out)).sweeps[0] : await readSweep(args.out, args.sweep);
    if (!sweep) {
      const known = (await listSweeps(args.out)).sweeps.map((s) => s.id);
      throw new UserInputError(`--sweep ${args.sweep}: expected a sweep in ${args.out}/sweeps, got none by that name${known.length ? ` (newest: ${known[0]})` : ''}`);
    }
    const { objective } = sweep.sweep;
    const ranked = (r: RunEntry) => ({ budget: r.sweep!.budget, objective: numericMetrics(r)[objective.metric] });
    const rank = rankTrials(objective.goal);
    chosen = all.filter((r) => r.sweep?.id === sweep!.id).sort((x, y) => rank(ranked(x), ranked(y)));
  } else {
    chosen = args.runs.length ? args.runs.map((ref) => findRun(listing, ref, args.out)) : all.slice(0, 5);
    if (!args.runs.length) warnCorrupt(output, listing.corrupt);
  }
  if (chosen.length === 0) throw new UserInputError(`nothing to compare: no runs in ${args.out}`);
  const swept = sweep ? Object.keys(sweep.sweep.params) : [];
  // a swept path into a list (models.5.units) is its own column; the whole list it is in is not
  const insideSwept = (k: string) => swept.some((path) => path !== k && (path.startsWith(`${k}.`) || path.startsWith(`${k}[`)));
  const varying = [...new Set([...swept, ...chosen.flatMap((r) => Object.keys(r.params))])].filter(
    (k) => swept.includes(k) || (!insideSwept(k) && new Set(chosen.map((r) => JSON.stringify(r.params[k]))).size > 1),
  );
  const metricNames = [...new Set(chosen.flatMap((r) => Object.keys(numericMetrics(r))))];
  if (sweep) metricNames.sort((x, y) => Number(y === sweep!.sweep.objective.metric) - Number(x === sweep!.sweep.objective.metric));
  const names = shortNames(varying);
  const data = chosen.map((r) => ({
    run: r.id,
    ...(r.sweep && { trial: r.sweep.trial, rung: r.sweep.rung, budget: r.sweep.budget }),
    params: Object.fromEntries(varying.map((k) => [k, paramAt(r.params, k)])),
    metrics: numericMetrics(r),
    durationMs: r.durationMs,
  }));
  const rows = data.map((d) => ({
    run: d.run,
    trial: d.trial,
    epochs: d.budget,
    ...Object.fromEntries(varying.map((k) => [names.get(k)!, typeof d.params[k] === 'number' ? d.params[k] : JSON.stringify(d.params[k])])),
    ...d.metrics,
  }));
  const columns = ['run', ...(sweep ? ['trial'] : []), ...(sweep?.sweep.budget ? ['epochs'] : []), ...varying.map((k) => names.get(k)!), ...metricNames];
  print(output, args, { columns, rows }, { ...(sweep && { sweep: sweepSummary(sweep) }), runs: data });
}
