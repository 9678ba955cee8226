import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { Contract } from './contract.js';

/** A port's kind names the codec that stores its values in the cache ('json', 'tensor', 'model', ...). */
export type PortKind = string;

export interface InputPort<T = unknown> {
  kind: PortKind;
  /** What the port takes (set by `port(contract)`): validate compares it with what the wire gives. */
  contract?: Contract<T>;
  optional?: boolean;
  description?: string;
}

export interface OutputPort<T = unknown> {
  kind: PortKind;
  /** What the port gives (set by `port(contract)`), checked on every value the stage emits. */
  contract?: Contract<T>;
  description?: string;
}

/** A stage's ports by name. */
export type InputPorts = Readonly<Record<string, InputPort>>;
export type OutputPorts = Readonly<Record<string, OutputPort>>;
/** `namedInputs`: ports the config names, any number, each like this one. */
export type NamedInputPort = InputPort & { min?: number };

/** The type of a port's values: its contract's, or `unknown` for a port of a plain kind (it says how values are stored, not what they are). */
export type PortValue<P> = P extends { readonly contract: Contract<infer T> } ? T : unknown;

type OptionalPorts<I> = { [K in keyof I]: I[K] extends { readonly optional: true } ? K : never }[keyof I];
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** What a stage's `run` receives: each input port's value, optional ports possibly undefined, named inputs by the config's names. */
export type StageInputValues<I, N = undefined> = Flat<
  { [K in Exclude<keyof I, OptionalPorts<I>>]: PortValue<I[K]> } & {
    [K in OptionalPorts<I>]?: PortValue<I[K]>;
  } & (N extends InputPort ? Record<string, PortValue<N>> : unknown)
>;

/** What a stage's `run` must emit: a value for every output port, of its contract's type. */
export type StageOutputValues<O> = Flat<{ [K in keyof O]: PortValue<O[K]> }>;

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

/** What a stage's `check` gets: where paths resolve, and how its params are named in the lines it returns. */
export interface StageCheckContext {
  /** Relative paths in params resolve against this folder, as when the stage runs. */
  readonly workDir: string;
  /** Where the stage's params are in the config (`stages.load.params`): each line starts with it or a path under it. */
  readonly paramsPath: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StageInputs = Record<string, any>;

export interface StageDefinition<
  P = unknown,
  I extends InputPorts = InputPorts,
  O extends OutputPorts = OutputPorts,
  N extends NamedInputPort | undefined = NamedInputPort | undefined,
> {
  /** `package.name`, e.g. `preprocess.minmax-scale`. */
  readonly type: string;
  /** Bump to invalidate cached results when the stage's behaviour changes. */
  readonly version: number;
  readonly description: string;
  readonly params: z.ZodType<P>;
  readonly inputs: I;
  /**
   * Inputs the config names, any number of them, each of this port's kind: a stage that compares
   * candidates (`"inputs": { "cnn": "cnnEval.metrics", "knn": "knnEval.metrics" }`) gets them by
   * those names. `min`: how many it needs.
   */
  readonly namedInputs?: N;
  readonly outputs: O;
  /**
   * Its tensor work is large convolutions and matrix products, which run faster on several threads.
   * A run uses every core by default when one of its stages says so, else one thread: recurrent
   * nets' many small products run slower on several (each wakes the pool).
   */
  readonly prefersThreads?: boolean;
  fingerprint?(params: P, ctx: FingerprintContext): Promise<string>;
  /**
   * A cheap look at the data its params name, for `validate` (skipped with `--no-data`): a table's
   * header and first rows, a folder's listing, never the whole content. One line per problem, each
   * starting with the param's path (`stages.load.params.column: expected ..., got ...`); none when
   * all is well. A UserInputError it throws is one line under `paramsPath`.
   */
  check?(params: P, ctx: StageCheckContext): Promise<string[]>;
  /**
   * Emits the outputs once (an Observable, or a Promise the engine wraps in one). Its inputs and
   * outputs are typed by the ports' contracts, which the engine checks on every value a stage emits.
   */
  run(
    inputs: NoInfer<StageInputValues<I, N>>,
    params: P,
    ctx: StageContext,
  ): Observable<NoInfer<StageOutputValues<O>>> | Promise<NoInfer<StageOutputValues<O>>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStageDefinition = StageDefinition<any>;

/** `package.name` in lower case: what a stage type looks like. */
export const STAGE_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/** Declares a stage; checks the declaration itself so a malformed stage fails at import time. */
export function defineStage<
  P,
  const I extends InputPorts,
  O extends OutputPorts,
  N extends NamedInputPort | undefined = undefined,
>(definition: StageDefinition<P, I, O, N>): StageDefinition<P, I, O, N> {
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
