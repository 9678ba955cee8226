import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@stagegraph/pipeline';
import { LINK_OUT, linksOut, pathInside } from '../runs/path-inside.js';
import { readRecord } from '../runs/read-record.js';
import { CorruptRecordError, isRunId, readRecords, type CorruptRecord } from '../runs/run-index.js';
import { SWEEP_RECORD, type SweepRecord, type TrialRecord } from '../runs/run-records.js';

export type { SweepRecord, TrialRecord, TrialRun } from '../runs/run-records.js';

/**
 * Best first, as every listing of a sweep orders its trials: the largest budget reached (halving's
 * epochs), then the objective by its goal; trials without an objective last.
 */
export const rankTrials =
  (goal: 'min' | 'max') =>
  (a: { objective?: number; budget?: number }, b: { objective?: number; budget?: number }): number => {
    if (a.objective === undefined || b.objective === undefined)
      return Number(a.objective === undefined) - Number(b.objective === undefined);
    return (
      (b.budget ?? 0) - (a.budget ?? 0) || (goal === 'min' ? a.objective - b.objective : b.objective - a.objective)
    );
  };

/** A trial that has run as far as it will (completed, stopped early or failed; a cancelled one was stopped short). */
export const isSettled = (trial: TrialRecord) =>
  trial.status === 'completed' || trial.status === 'stopped early' || trial.status === 'failed';

export const SWEEPS_DIR = 'sweeps';
export const sweepDir = (runsDir: string, id: string) => join(runsDir, SWEEPS_DIR, id);

export const writeSweepRecord = (runsDir: string, record: SweepRecord) =>
  writeFileAtomic(join(sweepDir(runsDir, record.id), 'sweep.json'), JSON.stringify(record, null, 2) + '\n');

/** Every sweep in a runs folder, newest first, and the sweep folders whose sweep.json is corrupt. */
export async function listSweeps(runsDir: string): Promise<{ sweeps: SweepRecord[]; corrupt: CorruptRecord[] }> {
  if (await linksOut(runsDir, [SWEEPS_DIR]))
    return { sweeps: [], corrupt: [{ id: SWEEPS_DIR, file: SWEEPS_DIR, problem: LINK_OUT }] };
  const names = (await readdir(join(runsDir, SWEEPS_DIR)).catch(() => [] as string[])).filter(isRunId);
  const { records: sweeps, corrupt } = await readRecords(
    runsDir,
    names,
    (name) => `${SWEEPS_DIR}/${name}`,
    (name) => readSweep(runsDir, name),
  );
  sweeps.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  return { sweeps, corrupt };
}

/** A sweep by id, undefined when there is none; a sweep.json that is not valid is a CorruptRecordError. */
export async function readSweep(runsDir: string, id: string): Promise<SweepRecord | undefined> {
  if (!isRunId(id) || !(await pathInside(runsDir, [SWEEPS_DIR, id]))) return undefined; // sweep ids are folder names like run ids; a link out is none
  const read = await readRecord(runsDir, `${SWEEPS_DIR}/${id}/sweep.json`, SWEEP_RECORD);
  const file = `${SWEEPS_DIR}/${id}/sweep.json`;
  if (read && 'problem' in read) throw new CorruptRecordError({ id, file, problem: read.problem }, 'sweep');
  // pages link a sweep by its id and find it by its folder: the two must agree
  if (read && read.value.id !== id)
    throw new CorruptRecordError(
      { id, file, problem: `id: expected "${id}" (its folder's name), got ${JSON.stringify(read.value.id)}` },
      'sweep',
    );
  return read?.value;
}
