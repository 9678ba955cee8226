import { numericMetricPaths } from '../metric-paths.js';
import { readdir } from 'node:fs/promises';
import { didYouMean, UserInputError } from '@stagegraph/pipeline';
import { LINK_OUT, linksOut, pathInside, runFolderInside } from './path-inside.js';
import { readRecord } from './read-record.js';
import { HISTORY_FILE, RUN_METRICS, STORED_RUN_RECORD, type HistoryEpoch, type Provenance, type StoredRunRecord, type SweepTrialFacts } from './run-records.js';

/** One run folder, read from its run.json and metrics.json: for `stagegraph runs` and the web app. */
export interface RunEntry {
  id: string;
  pipeline: string;
  startedAt: string;
  /** Only finished runs leave a folder (a failed or cancelled one is removed), so 'completed'. */
  status: string;
  durationMs?: number;
  backend: string;
  threads?: number;
  git?: Provenance['git'];
  versions?: Provenance['versions'];
  /** Set when the run is a sweep's trial. */
  sweep?: SweepTrialFacts;
  /** Every stage param and the seed, as `stages.<id>.params.<name>` paths (the paths --set and sweeps use). */
  params: Record<string, unknown>;
  headline?: { name: string; value: number };
  metrics: Record<string, unknown>;
  /**
   * `models/<stage>` of each models-cnn.train stage: image classifiers the app classifies uploads
   * with (a digit model also gets the draw page; model.json says which, see serve/image-steps.ts).
   */
  imageModels: string[];
  /** `figures/<stage>.svg` of each viz.forecast-plot stage. */
  forecastFigures: string[];
  /** `figures/<stage>.svg` of each viz.backtest-plot stage: the series with every model's forecasts. */
  backtestFigures: string[];
  hasReport: boolean;
  /** `histories/<stage>.json` of each training stage. */
  histories: string[];
}

/** A run or sweep folder whose record cannot be used: listed as such, never read as if whole. */
export interface CorruptRecord {
  id: string;
  /** The record, relative to its folder: `run.json`, `metrics.json`, `sweep.json`. */
  file: string;
  problem: string;
}

/** A command or page aimed at a corrupt record: exit 2 for the CLI, 422 for the web app. */
export class CorruptRecordError extends UserInputError {
  constructor(
    readonly record: CorruptRecord,
    what: 'run' | 'sweep',
  ) {
    super(`${what} ${record.id}: ${record.file} is corrupt: ${record.problem}`);
  }
}

/** A run reference that names no run: exit 2 in the CLI, 404 in the web app. */
export class NoSuchRunError extends UserInputError {}

/**
 * A run named by its folder name, a unique prefix of it, or `latest` (the newest): the one rule the
 * `runs` commands, `predict --model` and the web app's `?run=` share. One whose records are corrupt
 * is a CorruptRecordError naming the file; none is a NoSuchRunError with the closest name.
 */
export function resolveRun({ runs, corrupt }: RunListing, ref: string, where: string): RunEntry {
  if (ref === 'latest' && runs.length) return runs[0];
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const prefixed = runs.filter((r) => r.id.startsWith(ref));
  const broken = corrupt.find((c) => c.id === ref) ?? (prefixed.length === 0 ? onlyOne(corrupt.filter((c) => c.id.startsWith(ref))) : undefined);
  if (broken?.problem === LINK_OUT) throw new NoSuchRunError(`run "${ref}": expected a run folder ${where}, got ${LINK_OUT}`);
  if (broken) throw new CorruptRecordError(broken, 'run');
  if (prefixed.length === 1) return prefixed[0];
  const shown = (ids: string[]) => `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''}`;
  if (prefixed.length > 1) throw new UserInputError(`run "${ref}": expected one run, got ${prefixed.length} that start so (${shown(prefixed.map((r) => r.id))})`);
  const hint = didYouMean(ref, [...runs.map((r) => r.id), ...(runs.length ? ['latest'] : [])]) || (runs.length ? ` (newest: ${runs[0].id})` : '');
  throw new NoSuchRunError(`run "${ref}": expected a run folder ${where}, got none by that name${hint}`);
}

const onlyOne = <T>(items: T[]) => (items.length === 1 ? items[0] : undefined);

/** Every finished run of a runs folder, and the folders whose records are corrupt. */
export interface RunListing {
  runs: RunEntry[];
  corrupt: CorruptRecord[];
}

/** The metric a run list shows first: the one its pipeline is judged by. */
const HEADLINE_METRICS = ['accuracy', 'rmse', 'macroF1', 'mae'];

/**
 * The first headline metric by priority, bare or as `<stage>.<name>` (several stages emit it: the
 * first in graph order, metrics.json's order), so the name says which stage it reads; else the
 * first numeric metric.
 */
function headlineName(metrics: Record<string, unknown>, paths: Record<string, number>): string | undefined {
  const numeric = Object.keys(metrics).filter((name) => typeof metrics[name] === 'number');
  if (!numeric.length) return Object.keys(paths)[0]; // nested only: the first path
  const bare = (name: string) => name.slice(name.lastIndexOf('.') + 1);
  return HEADLINE_METRICS.flatMap((headline) => numeric.filter((name) => bare(name) === headline))[0] ?? numeric[0];
}

/**
 * A run that ranked candidates (a model selection: `models`, `best`, `metric`) is judged by its best's
 * score on the ranking metric, `models.<best>.<metric>` as metrics.csv names it, not by whichever
 * candidate's evaluation comes first in the graph (a baseline, say).
 */
function selectedHeadline(metrics: Record<string, unknown>): RunEntry['headline'] {
  const { models, best } = metrics;
  // a backtest's comparison names its best model by RMSE without a `metric`
  const metric = metrics.metric ?? 'rmse';
  if (typeof best !== 'string' || typeof metric !== 'string' || typeof models !== 'object' || models === null)
    return undefined;
  const value = (models as Record<string, Record<string, unknown> | undefined>)[best]?.[metric];
  return typeof value === 'number' ? { name: `models.${best}.${metric}`, value } : undefined;
}

/** What `runs ls` shows a run by: the config's `headline` where the run has it, else one chosen above. */
export function headlineOf(metrics: Record<string, unknown>, named?: string): RunEntry['headline'] {
  const paths = numericMetricPaths(metrics);
  if (named !== undefined && named in paths) return { name: named, value: paths[named] };
  const name = headlineName(metrics, paths);
  return selectedHeadline(metrics) ?? (name ? { name, value: paths[name] } : undefined);
}

/** Run folder names are what the runner makes: no separators, no leading dot (temp folders). */
export const isRunId = (id: string) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(id) && !id.includes('..');

/**
 * One run folder, or undefined when `id` names no finished run (no run.json). A run.json or
 * metrics.json that is not valid is a CorruptRecordError naming the file and what is wrong.
 */
export async function readRun(runsDir: string, id: string): Promise<RunEntry | undefined> {
  if (!isRunId(id)) return undefined;
  if (!(await runFolderInside(runsDir, id))) return undefined; // a link out is no run of this folder (listRuns says so)
  const read = await readRecord(runsDir, `${id}/run.json`, STORED_RUN_RECORD);
  if (!read) return undefined; // not a run folder
  if ('problem' in read) throw new CorruptRecordError({ id, file: 'run.json', ...read }, 'run');
  const metricsRead = (await readRecord(runsDir, `${id}/metrics.json`, RUN_METRICS)) ?? { problem: 'missing' };
  if ('problem' in metricsRead) throw new CorruptRecordError({ id, file: 'metrics.json', ...metricsRead }, 'run');
  // no prototype: a metric or param named `constructor` is data, and a missing one is undefined everywhere
  return runEntry(id, read.value, Object.assign(Object.create(null), metricsRead.value));
}

function runEntry(id: string, record: StoredRunRecord, metrics: Record<string, unknown>): RunEntry {
  const stagesOf = (type: string) => record.stages.filter((s) => s.type === type).map((s) => s.id);
  const figuresOf = (type: string) =>
    stagesOf(type)
      .map((s) => `figures/${s}.svg`)
      .filter((f) => record.figures?.includes(f));
  return {
    id,
    pipeline: record.pipeline,
    startedAt: record.startedAt,
    status: record.status ?? 'completed',
    durationMs: record.durationMs,
    backend: record.backend,
    threads: record.threads,
    git: record.git,
    versions: record.versions,
    sweep: record.sweep,
    params: paramsOf(record),
    headline: headlineOf(metrics, record.config?.headline),
    metrics,
    imageModels: stagesOf('models-cnn.train')
      .map((s) => `models/${s}`)
      .filter((m) => record.models?.includes(m)),
    forecastFigures: figuresOf('viz.forecast-plot'),
    backtestFigures: figuresOf('viz.backtest-plot'),
    hasReport: record.report === 'report.html',
    histories: record.histories ?? [],
  };
}

/** How many finished runs the folder holds, without reading them: the live view asks every second. */
export async function countRuns(runsDir: string): Promise<number> {
  const dirs = (await readdir(runsDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && isRunId(d.name));
  const finished = await Promise.all(dirs.map((d) => pathInside(runsDir, [d.name, 'run.json'])));
  return finished.filter(Boolean).length;
}

/**
 * Every finished run in the folder, newest first, and every folder whose records are corrupt
 * (one bad folder among a hundred good ones must not hide the rest). Read afresh on each call:
 * runs finish while serving.
 */
export async function listRuns(runsDir: string): Promise<RunListing> {
  // a runs folder removed (or replaced by a file) while serving holds no runs, rather than failing every page
  const names = await readdir(runsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' || error.code === 'ENOTDIR' ? [] : Promise.reject(error),
  );
  const candidates = names.filter((d) => (d.isDirectory() || d.isSymbolicLink()) && isRunId(d.name) && d.name !== 'sweeps');
  const { records: runs, corrupt } = await readRecords(
    runsDir,
    candidates.map((d) => d.name),
    (name) => name,
    (name) => readRun(runsDir, name),
  );
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  return { runs, corrupt };
}

/**
 * Reads the folders `names` (at `folderOf(name)` under the runs folder) with `read`, sorting the
 * whole records from the corrupt ones: links out of the runs folder and records that fail their
 * schema. Corrupt ones come sorted by name. The listings of runs and of sweeps share it.
 */
export async function readRecords<T>(
  runsDir: string,
  names: string[],
  folderOf: (name: string) => string,
  read: (name: string) => Promise<T | undefined>,
): Promise<{ records: T[]; corrupt: CorruptRecord[] }> {
  const records: T[] = [];
  const corrupt: CorruptRecord[] = [];
  await Promise.all(
    names.map(async (name) => {
      if (await linksOut(runsDir, folderOf(name).split('/'))) return void corrupt.push({ id: name, file: folderOf(name), problem: LINK_OUT });
      try {
        const record = await read(name);
        if (record) records.push(record);
      } catch (error) {
        if (!(error instanceof CorruptRecordError)) throw error;
        corrupt.push(error.record);
      }
    }),
  );
  corrupt.sort((a, b) => a.id.localeCompare(b.id));
  return { records, corrupt };
}

/** The seed and every stage param as a flat map of config paths; nested objects are flattened too. */
function paramsOf(record: StoredRunRecord): Record<string, unknown> {
  const params: Record<string, unknown> = Object.assign(Object.create(null), { seed: record.seed });
  const flatten = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v);
    else params[prefix] = value;
  };
  for (const [id, stage] of Object.entries(record.config?.stages ?? {})) flatten(`stages.${id}.params`, stage.params ?? {});
  return params;
}

/** A run's training histories by file (`histories/train.json`), and the files that could not be read. */
export async function readHistories(runsDir: string, run: RunEntry): Promise<{ histories: Record<string, HistoryEpoch[]>; problems: CorruptRecord[] }> {
  const histories: Record<string, HistoryEpoch[]> = {};
  const problems: CorruptRecord[] = [];
  for (const file of run.histories) {
    const read = await readRecord(runsDir, `${run.id}/${file}`, HISTORY_FILE);
    if (read && 'value' in read) histories[file] = read.value.epochs;
    else problems.push({ id: run.id, file, problem: read?.problem ?? 'missing' });
  }
  return { histories, problems };
}
