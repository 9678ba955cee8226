import { STAGE_ID, sweepSchema } from '@stagegraph/pipeline';
import { z } from 'zod';

/**
 * The files a run folder and a sweep folder hold, one zod schema each: the writers' types are
 * inferred from them and every reader validates through them (`read-record.ts`), so a record that
 * is `null`, cut short or of another shape is reported as corrupt, never read as if it were whole.
 * Fields later versions added are optional: runs made by older versions still read.
 */

/** A file named inside a run folder (`figures/x.svg`, `models/train`): no `..`, no absolute path. */
const runFile = z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\\\0]+$/, 'expected a path inside the run folder');

export const GIT_FACTS = z.object({ commit: z.string(), dirty: z.boolean() });

export const MACHINE = z.object({ host: z.string(), os: z.string(), cpu: z.string(), cores: z.number(), memoryGiB: z.number(), node: z.string() });
export type Machine = z.infer<typeof MACHINE>;

/** Where a run came from, recorded in run.json so runs can be compared and reproduced. */
export const PROVENANCE = z.object({
  /** The commit of the git checkout holding the config, and whether it had uncommitted changes. */
  git: GIT_FACTS.optional(),
  /** Versions of the CLI, the StageGraph packages and TensorFlow.js that ran. */
  versions: z.record(z.string(), z.string()),
  /** The machine it ran on, to read timings against. */
  machine: MACHINE.optional(),
  /** The native kernels that computed wasm's convolutions and products, when they did, and where they came from ("oneDNN (platform package @stagegraph/core-tensor-linux-x64)" or "oneDNN (source build)"; "oneDNN" before). */
  nativeKernels: z.string().optional(),
});
export type Provenance = z.infer<typeof PROVENANCE>;

/** A sweep trial's place in its sweep, recorded in run.json. */
export const SWEEP_TRIAL_FACTS = z.object({
  id: z.string(),
  trial: z.number(),
  /** Successive halving's round (0 first), with the epoch budget it trained for. */
  rung: z.number().optional(),
  budget: z.number().optional(),
  params: z.record(z.string(), z.unknown()),
});
export type SweepTrialFacts = z.infer<typeof SWEEP_TRIAL_FACTS>;

export const STAGE_RECORD = z.object({ id: z.string().regex(STAGE_ID), type: z.string(), key: z.string(), cached: z.boolean(), durationMs: z.number() });
export type StageRecord = z.infer<typeof STAGE_RECORD>;

/** The config as run: read back for its stages' params (the writer stores the validated config). */
const STORED_CONFIG = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  headline: z.string().optional(),
  stages: z.record(z.string(), z.looseObject({ type: z.string(), params: z.record(z.string(), z.unknown()).optional() })),
});

/** run.json: what ran, with what, where it came from, as this version writes it. */
export const RUN_RECORD = z.object({
  pipeline: z.string(),
  /** `--name`, when the run was given one. */
  name: z.string().optional(),
  configFile: z.string(),
  configHash: z.string(),
  config: STORED_CONFIG,
  seed: z.number(),
  backend: z.string(),
  threads: z.number(),
  ...PROVENANCE.shape,
  /** Calls per native kernel made while this run computed (`dnnlConv2d`, `matmul`, `adam`...): which of the loaded kernels ran; absent when none did. */
  nativeKernelCalls: z.record(z.string(), z.number().int().nonnegative()).optional(),
  sweep: SWEEP_TRIAL_FACTS.optional(),
  /** Only finished runs leave a folder (a failed or cancelled one is removed). */
  status: z.literal('completed'),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number(),
  stages: z.array(STAGE_RECORD),
  metrics: z.literal('metrics.json'),
  /** metrics.json flattened to `metric,value` rows. */
  metricsCsv: z.literal('metrics.csv'),
  report: z.literal('report.html'),
  figures: z.array(runFile),
  /** `figures/<name>.csv`: the rows behind each chart (a forecast's dates, actual and predicted values). */
  tables: z.array(runFile),
  /** `models/<stage>`: trained models in the standard tfjs format. */
  models: z.array(runFile),
  /** `histories/<stage>.json`: training histories. */
  histories: z.array(runFile),
});
export type RunRecord = z.infer<typeof RUN_RECORD>;

/** run.json as read back: runs made by older versions lack the newer fields. */
const { pipeline, startedAt, backend, stages } = RUN_RECORD.shape;
export const STORED_RUN_RECORD = RUN_RECORD.partial().extend({ pipeline, startedAt, backend, stages });
export type StoredRunRecord = z.infer<typeof STORED_RUN_RECORD>;

/** metrics.json: every metrics output of the run, by name. */
export const RUN_METRICS = z.record(z.string(), z.unknown());

/** `histories/<stage>.json`: a training stage's epochs, for the web app's overlaid curves. */
export const HISTORY_FILE = z.looseObject({
  epochs: z.array(z.looseObject({ epoch: z.number(), loss: z.number(), valLoss: z.number().optional(), metrics: z.record(z.string(), z.number()).optional() })),
});
export type HistoryEpoch = z.infer<typeof HISTORY_FILE>['epochs'][number];

/** live.json: a run in progress (in its temp folder), for the web app's live view. */
export const LIVE_RUN = z.object({
  pipeline: z.string(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  sweep: SWEEP_TRIAL_FACTS.optional(),
  done: z.number(),
  total: z.number(),
  running: z.array(z.object({ stage: z.string(), epoch: z.number().optional(), epochs: z.number().optional(), loss: z.number().optional(), valLoss: z.number().optional() })),
});
export type LiveRun = z.infer<typeof LIVE_RUN>;

/** One run of a trial: a trial of successive halving runs once per rung it reaches. */
export const TRIAL_RUN = z.object({
  /** The run folder's name in the runs folder. */
  run: z.string(),
  rung: z.number().optional(),
  budget: z.number().optional(),
  objective: z.number().optional(),
  durationMs: z.number(),
  /** Stages this run computed (the rest came from the cache). */
  computed: z.array(z.string()),
});
export type TrialRun = z.infer<typeof TRIAL_RUN>;

export const TRIAL_RECORD = z.object({
  trial: z.number(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'running', 'completed', 'stopped early', 'failed', 'cancelled']),
  /** The objective of its last run. */
  objective: z.number().optional(),
  /** Halving: the epoch budget of its last run. */
  budget: z.number().optional(),
  runs: z.array(TRIAL_RUN),
  error: z.string().optional(),
});
export type TrialRecord = z.infer<typeof TRIAL_RECORD>;

/** `<runs>/sweeps/<id>/sweep.json`: rewritten after every trial, so it is readable while the sweep runs. */
export const SWEEP_RECORD = z.object({
  id: z.string(),
  pipeline: z.string(),
  configFile: z.string(),
  status: z.enum(['running', 'completed', 'cancelled', 'failed']),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().optional(),
  sweep: sweepSchema,
  trials: z.array(TRIAL_RECORD),
  best: z.object({ trial: z.number(), objective: z.number(), run: z.string(), config: z.string() }).optional(),
});
export type SweepRecord = z.infer<typeof SWEEP_RECORD>;
