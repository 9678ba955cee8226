import { describe, expect, it } from '@jest/globals';
import type { SweepRecord, TrialRecord } from './sweep-record.js';
import { scheduleTrials } from './trial-scheduler.js';

const sweepOf = (trials: number): SweepRecord =>
  ({
    sweep: { method: 'grid', objective: { metric: 'rmse', goal: 'min' } },
    trials: Array.from({ length: trials }, (_, i) => ({ trial: i + 1, params: {}, status: 'pending', runs: [] })),
  }) as unknown as SweepRecord;

describe('scheduleTrials', () => {
  it.each([
    [1, false, 1],
    [1, true, 1],
    [2, false, 2],
  ])(
    'starts no trial once one has failed (%i at once, first alone: %s): %i started',
    async (atOnce, firstAlone, started) => {
      const ran: number[] = [];
      const run = async (trial: TrialRecord) => {
        ran.push(trial.trial);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error(`objective: no metric "rmsee" in trial ${trial.trial}`);
      };
      await expect(scheduleTrials(sweepOf(5), run, { atOnce, firstAlone })).rejects.toThrow('in trial 1');
      expect(ran).toHaveLength(started);
    },
  );

  it('runs every trial, at most `atOnce` at a time, when none fails', async () => {
    let running = 0;
    let most = 0;
    const run = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await scheduleTrials(sweepOf(6), run, { atOnce: 2, firstAlone: false });
    expect(most).toBe(2);
  });
});
