import type { DispatchedStage, StageProgress } from '@stagegraph/pipeline';

/** The queue `stagegraph run --executor bullmq` and `stagegraph worker` meet on unless told otherwise. */
export const DEFAULT_QUEUE = 'stagegraph-stages';

/** A stage job: the dispatched stage (its id is the job's id) and the pipeline it belongs to, as the run validated it. */
export interface StageJobData extends DispatchedStage {
  config: unknown;
  /** Absolute: the worker resolves the config's plugins against it, as the CLI did. */
  configFile: string;
  /** Absolute: the run's working directory, where relative data paths resolve (the same path on every machine: a shared mount or checkout). */
  workDir: string;
}

/**
 * What a worker reports through the job's progress (BullMQ stores the last one and streams each):
 * the CLI turns them back into the run's events.
 */
export type StageJobReport =
  | { kind: 'started'; worker: string; attempt: number }
  | { kind: 'progress'; progress: StageProgress }
  | { kind: 'log'; message: string }
  | { kind: 'error'; userError: boolean; message: string };

/**
 * How stage jobs are kept: one attempt (a stage that throws would throw again; a worker that dies
 * is a stall, which BullMQ retries on its own), finished jobs kept a day so that a run arriving
 * later finds them, failed ones a week to be read.
 */
export const STAGE_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
