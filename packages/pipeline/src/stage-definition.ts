import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { Contract } from './contract.js';

/** A port's kind names the codec that stores its values in the cache ('json', 'tensor', 'model', ...). */
export type PortKind = string;

export interface InputPort {
  kind: PortKind;
  /** What the port takes (set by `port(contract)`): validate compares it with what the wire gives. */
  contract?: Contract;
  optional?: boolean;
  description?: string;
}

export interface OutputPort {
  kind: PortKind;
  /** What the port gives (set by `port(contract)`), checked on every value the stage emits. */
  contract?: Contract;
  description?: string;
}

/** Progress a stage reports while it runs; training stages fill epoch/batch/loss. */
export interface StageProgress {
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  /** Samples per batch: with batch and batches, what a progress display makes samples/s and an ETA of. */
  batchSize?: number;
  loss?: number;
  valLoss?: number;
  metrics?: Record<string, number>;
  message?: string;
}

export interface StageContext {
  readonly stageId: string;
  /** Derived from the config's seed and the stage id: the same config gives the same randomness. */
  readonly seed: number;
  /** Fires when the run is cancelled: long stages check it between batches and stop. */
  readonly signal: AbortSignal;
  /** Relative paths in params resolve against this folder (the working directory of the run). */
  readonly workDir: string;
  progress(progress: StageProgress): void;
  log(message: string): void;
}

export type StageOutputs = Record<string, unknown>;

/** What a stage's params do not say but its result depends on (an input file's content, say). */
export interface FingerprintContext {
  readonly workDir: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StageInputs = Record<string, any>;

export interface StageDefinition<P = unknown> {
  /** `package.name`, e.g. `preprocess.minmax-scale`. */
  readonly type: string;
  /** Bump to invalidate cached results when the stage's behaviour changes. */
  readonly version: number;
  readonly description: string;
  readonly params: z.ZodType<P>;
  readonly inputs: Readonly<Record<string, InputPort>>;
  /**
   * Inputs the config names, any number of them, each of this port's kind: a stage that compares
   * candidates (`"inputs": { "cnn": "cnnEval.metrics", "knn": "knnEval.metrics" }`) gets them by
   * those names. `min`: how many it needs.
   */
  readonly namedInputs?: InputPort & { min?: number };
  readonly outputs: Readonly<Record<string, OutputPort>>;
  /**
   * Its tensor work is large convolutions and matrix products, which run faster on several threads.
   * A run uses every core by default when one of its stages says so, else one thread: recurrent
   * nets' many small products run slower on several (each wakes the pool).
   */
  readonly prefersThreads?: boolean;
  fingerprint?(params: P, ctx: FingerprintContext): Promise<string>;
  /** Emits the outputs once (an Observable, or a Promise the engine wraps in one). */
  run(inputs: StageInputs, params: P, ctx: StageContext): Observable<StageOutputs> | Promise<StageOutputs>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStageDefinition = StageDefinition<any>;

/** `package.name` in lower case: what a stage type looks like. */
export const STAGE_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** Declares a stage; checks the declaration itself so a malformed stage fails at import time. */
export function defineStage<P>(definition: StageDefinition<P>): StageDefinition<P> {
  if (!STAGE_TYPE.test(definition.type)) {
    throw new Error(`stage type "${definition.type}" must look like "package.name" (lower case)`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`stage ${definition.type}: version must be a positive integer, got ${definition.version}`);
  }
  if (Object.keys(definition.outputs).length === 0) {
    throw new Error(`stage ${definition.type}: declares no outputs`);
  }
  return Object.freeze(definition);
}
