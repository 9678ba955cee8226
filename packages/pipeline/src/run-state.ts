import type { Observable } from 'rxjs';
import type { CacheStore } from './cache-store.js';
import type { CodecRegistry } from './codec.js';
import { concurrencySlots } from './concurrency-slots.js';
import type { RunEvent } from './events.js';
import { HeldOutputs } from './held-outputs.js';
import type { StageOutputs } from './stage-definition.js';
import type { StageDispatcher } from './stage-dispatcher.js';
import type { ValidatedPipeline, ValidatedStage } from './validate-config.js';

export interface ExecuteOptions {
  codecs: CodecRegistry;
  /** Where results are cached; none means every stage is computed and nothing is stored. */
  cache?: CacheStore;
  /** Recompute every stage even when cached; the fresh results replace the cached ones. */
  force?: boolean;
  /** Relative paths in params resolve against it (default: the process's working directory). */
  workDir?: string;
  /** Stages whose outputs the caller wants even when cached (default: stages nobody reads). */
  want?: (stage: ValidatedStage) => boolean;
  /** Recorded in each cache entry (the tensor backend, say). */
  environment?: Record<string, string>;
  /** At most this many stages compute at once (default: every stage whose inputs are ready). */
  concurrency?: number;
  /** Compute stages elsewhere (a queue's workers) instead of in this process; needs a cache both sides share. */
  dispatcher?: StageDispatcher;
}

/**
 * What a stage hands downstream: its outputs and, with a cache, its entry key and each output port's
 * content hash. With a dispatcher, outputs are loaded only where the caller wants them.
 */
export interface StageResult {
  outputs: StageOutputs;
  key?: string;
  hashes?: Record<string, string>;
}

/** One run of a pipeline as its stages see it: what they share while the graph runs. */
export interface RunState {
  readonly options: ExecuteOptions;
  readonly workDir: string;
  /** Whether the caller wants a stage's outputs (loaded and kept to the end even when cached). */
  readonly want: (stage: ValidatedStage) => boolean;
  readonly emit: (event: RunEvent) => void;
  /** Outputs in memory, released as their readers finish. */
  readonly held: HeldOutputs;
  /** Stages that started (computing or loading); the others end the run as cached and not loaded. */
  readonly started: Set<string>;
  /** Computing stages wait here for one of `options.concurrency` slots. */
  readonly slots: ReturnType<typeof concurrencySlots>;
  /** Each stage's result, shared by the stages that read it. */
  readonly results$: Map<string, Observable<StageResult>>;
}

/** A run's state, its events going to `emit`. */
export function createRunState(
  pipeline: ValidatedPipeline,
  options: ExecuteOptions,
  emit: (event: RunEvent) => void,
): RunState {
  const consumers = new Set(pipeline.stages.flatMap((stage) => Object.values(stage.inputs).map((ref) => ref.stage)));
  const want = options.want ?? ((stage: ValidatedStage) => !consumers.has(stage.id));
  return {
    options,
    workDir: options.workDir ?? process.cwd(),
    want,
    emit,
    held: new HeldOutputs(pipeline.stages, options.codecs, want),
    started: new Set(),
    slots: concurrencySlots(options.concurrency ?? Infinity),
    results$: new Map(),
  };
}
