import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runFolderInside } from '../serve/safe-path.js';
import type { RunRecord, SweepTrialFacts } from '../run-folder.js';
import type { Provenance } from '../provenance.js';

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
  /** `models/<stage>` of each models-cnn.train stage: digit classifiers the app can draw against. */
  digitModels: string[];
  /** `figures/<stage>.svg` of each viz.forecast-plot stage. */
  forecastFigures: string[];
  hasReport: boolean;
  /** `histories/<stage>.json` of each training stage. */
  histories: string[];
}

/** run.json as read back: runs made by older versions lack the newer fields. */
type StoredRunRecord = Pick<RunRecord, 'pipeline' | 'startedAt' | 'backend'> & Partial<Omit<RunRecord, 'stages'>> & { stages: { id: string; type: string }[] };

/** The metric a run list shows first: the one its pipeline is judged by. */
const HEADLINE_METRICS = ['accuracy', 'rmse', 'macroF1', 'mae'];

/** Run folder names are what the runner makes: no separators, no leading dot (temp folders). */
export const isRunId = (id: string) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(id) && !id.includes('..');

/** One run folder, or undefined when `id` names no finished run. */
export async function readRun(runsDir: string, id: string): Promise<RunEntry | undefined> {
  const runDir = isRunId(id) ? await runFolderInside(runsDir, id) : undefined;
  if (!runDir) return undefined;
  let record: StoredRunRecord;
  try {
    record = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
  } catch {
    return undefined; // not a run folder, or one being written by hand
  }
  const metrics = (await readFile(join(runDir, 'metrics.json'), 'utf8')
    .then(JSON.parse)
    .catch(() => ({}))) as Record<string, unknown>;
  const name = HEADLINE_METRICS.find((m) => typeof metrics[m] === 'number') ?? Object.keys(metrics).find((m) => typeof metrics[m] === 'number');
  const stagesOf = (type: string) => (record.stages ?? []).filter((s) => s.type === type).map((s) => s.id);
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
    headline: name ? { name, value: metrics[name] as number } : undefined,
    metrics,
    digitModels: stagesOf('models-cnn.train')
      .map((s) => `models/${s}`)
      .filter((m) => record.models?.includes(m)),
    forecastFigures: stagesOf('viz.forecast-plot')
      .map((s) => `figures/${s}.svg`)
      .filter((f) => record.figures?.includes(f)),
    hasReport: record.report === 'report.html',
    histories: record.histories ?? [],
  };
}

/** How many finished runs the folder holds, without reading them: the live view asks every second. */
export async function countRuns(runsDir: string): Promise<number> {
  const dirs = (await readdir(runsDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && isRunId(d.name));
  const finished = await Promise.all(dirs.map((d) => stat(join(runsDir, d.name, 'run.json')).then(() => true, () => false)));
  return finished.filter(Boolean).length;
}

/** Every finished run in the folder, newest first. Read afresh on each call: runs finish while serving. */
export async function listRuns(runsDir: string): Promise<RunEntry[]> {
  const names = await readdir(runsDir, { withFileTypes: true });
  const runs = await Promise.all(names.filter((d) => d.isDirectory() && isRunId(d.name)).map((d) => readRun(runsDir, d.name)));
  return runs.filter((r): r is RunEntry => r !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

/** The seed and every stage param as a flat map of config paths; nested objects are flattened too. */
function paramsOf(record: StoredRunRecord): Record<string, unknown> {
  const params: Record<string, unknown> = { seed: record.seed };
  const flatten = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v);
    else params[prefix] = value;
  };
  for (const [id, stage] of Object.entries(record.config?.stages ?? {})) flatten(`stages.${id}.params`, stage.params ?? {});
  return params;
}

/** One epoch of a training history as run folders keep it. */
export interface HistoryEpoch {
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics?: Record<string, number>;
}

/** A run's training histories by file (`histories/train.json`); a missing or unreadable one is left out. */
export async function readHistories(runsDir: string, run: RunEntry): Promise<Record<string, HistoryEpoch[]>> {
  const runDir = await runFolderInside(runsDir, run.id);
  const entries = await Promise.all(
    run.histories.map(async (file) => {
      const history = runDir && (await readFile(join(runDir, file), 'utf8').then(JSON.parse, () => undefined));
      return Array.isArray(history?.epochs) ? ([file, history.epochs as HistoryEpoch[]] as const) : undefined;
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}
