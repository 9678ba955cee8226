import { concurrencySlots, halvingRungs, type HalvingRung } from '@stagegraph/pipeline';
import { defer, lastValueFrom } from 'rxjs';
import { rankTrials, type SweepRecord, type TrialRecord } from './sweep-record.js';

/** Runs one trial, recording it; throws only what ends the sweep (a cancel, an objective the runs lack). */
export type TrialRun = (trial: TrialRecord, rung?: HalvingRung) => Promise<void>;

export interface TrialSchedule {
  /** Trials at once (1: one after another). */
  atOnce: number;
  /**
   * The first trial alone before the others start: it computes the stages every trial shares, which
   * the others then load (worker processes share only the cache). Not on a queue, where a stage two
   * trials share is one job both wait for.
   */
  firstAlone: boolean;
}

/**
 * When each trial of a sweep runs: all of them, or with successive halving rung by rung, each rung
 * the best 1/eta of the last at a larger budget (the others 'stopped early').
 */
export async function scheduleTrials(record: SweepRecord, run: TrialRun, schedule: TrialSchedule): Promise<void> {
  if (record.sweep.method !== 'halving') return runTogether(record.trials, (trial) => run(trial), schedule);
  const better = rankTrials(record.sweep.objective.goal);
  let alive = record.trials;
  for (const rung of halvingRungs(record.trials.length, record.sweep.budget!)) {
    const promoted = alive.slice(0, rung.keep);
    for (const trial of alive.slice(rung.keep)) trial.status = 'stopped early';
    for (const trial of promoted) trial.status = 'pending';
    await runTogether(promoted, (trial) => run(trial, rung), {
      ...schedule,
      firstAlone: schedule.firstAlone && rung.rung === 0,
    });
    alive = promoted.filter((t) => t.status === 'completed').sort(better);
  }
}

/**
 * `trials`, at most `atOnce` at a time (the engine's concurrencySlots: RxJS mergeMap). Once one
 * throws, no other starts; when those started have settled, the first error is thrown.
 */
async function runTogether(
  trials: TrialRecord[],
  run: (trial: TrialRecord) => Promise<void>,
  { atOnce, firstAlone }: TrialSchedule,
): Promise<void> {
  if (firstAlone && trials.length) await run(trials[0]);
  const slots = concurrencySlots(atOnce);
  let failure: { error: unknown } | undefined;
  // the failure is noted before the trial's slot frees, so the trial waiting for that slot sees it
  const runIfNoFailure = (trial: TrialRecord) =>
    defer(async () => {
      if (failure) return;
      await run(trial).catch((error: unknown) => void (failure ??= { error }));
    });
  await Promise.all(
    (firstAlone ? trials.slice(1) : trials).map((trial) =>
      lastValueFrom(slots.run(runIfNoFailure(trial)), { defaultValue: undefined }),
    ),
  );
  if (failure) throw failure.error;
}
