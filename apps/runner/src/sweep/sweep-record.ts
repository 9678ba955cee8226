import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type Sweep } from '@stagegraph/pipeline';
import { isRunId } from '../runs/run-index.js';

/** One run of a trial: a trial of successive halving runs once per rung it reaches. */
export interface TrialRun {
  /** The run folder's name in the runs folder. */
  run: string;
  rung?: number;
  budget?: number;
  objective?: number;
  durationMs: number;
  /** Stages this run computed (the rest came from the cache). */
  computed: string[];
}

export interface TrialRecord {
  trial: number;
  params: Record<string, unknown>;
  status: 'pending' | 'running' | 'completed' | 'stopped early' | 'failed';
  /** The objective of its last run. */
  objective?: number;
  /** Halving: the epoch budget of its last run. */
  budget?: number;
  runs: TrialRun[];
  error?: string;
}

/** `<runs>/sweeps/<id>/sweep.json`: rewritten after every trial, so it is readable while the sweep runs. */
export interface SweepRecord {
  id: string;
  pipeline: string;
  configFile: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  startedAt: string;
  durationMs?: number;
  sweep: Sweep;
  trials: TrialRecord[];
  best?: { trial: number; objective: number; run: string; config: string };
}

/**
 * Best first, as every listing of a sweep orders its trials: the largest budget reached (halving's
 * epochs), then the objective by its goal; trials without an objective last.
 */
export const rankTrials =
  (goal: 'min' | 'max') =>
  (a: { objective?: number; budget?: number }, b: { objective?: number; budget?: number }): number => {
    if (a.objective === undefined || b.objective === undefined) return Number(a.objective === undefined) - Number(b.objective === undefined);
    return (b.budget ?? 0) - (a.budget ?? 0) || (goal === 'min' ? a.objective - b.objective : b.objective - a.objective);
  };

/** A trial that has run as far as it will (completed, stopped early or failed). */
export const isSettled = (trial: TrialRecord) => trial.status !== 'pending' && trial.status !== 'running';

export const SWEEPS_DIR = 'sweeps';
export const sweepDir = (runsDir: string, id: string) => join(runsDir, SWEEPS_DIR, id);

export const writeSweepRecord = (runsDir: string, record: SweepRecord) => writeFileAtomic(join(sweepDir(runsDir, record.id), 'sweep.json'), JSON.stringify(record, null, 2) + '\n');

/** Every sweep in a runs folder, newest first. */
export async function listSweeps(runsDir: string): Promise<SweepRecord[]> {
  const names = await readdir(join(runsDir, SWEEPS_DIR)).catch(() => [] as string[]);
  const records = await Promise.all(names.map((name) => readSweep(runsDir, name)));
  return records.filter((r): r is SweepRecord => r !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export async function readSweep(runsDir: string, id: string): Promise<SweepRecord | undefined> {
  if (!isRunId(id)) return undefined; // sweep ids are folder names like run ids
  try {
    return JSON.parse(await readFile(join(sweepDir(runsDir, id), 'sweep.json'), 'utf8')) as SweepRecord;
  } catch {
    return undefined;
  }
}
