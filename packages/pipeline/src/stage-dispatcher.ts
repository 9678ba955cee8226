import type { RunEvent } from './events.js';

/** A stage handed to another process to compute: everything but the pipeline's config, which the dispatcher adds. */
export interface DispatchedStage {
  stageId: string;
  stageType: string;
  /** The entry its result is stored under (keyed by its inputs' content): the remote job's id. */
  key: string;
  recipeKey: string;
  /** Each input port: the cache entry it reads and that entry's output port. */
  inputs: Record<string, { key: string; port: string }>;
  /** Recompute even if the entry exists (`--no-cache`). */
  force: boolean;
}

/**
 * Where stages compute when not in this process: a job queue's workers, say. The engine still walks
 * the graph and keys every stage; a dispatched stage reads its inputs from, and writes its result
 * to, the shared cache, and the engine loads from there what the caller wants.
 */
export interface StageDispatcher {
  /**
   * Resolves once the stage's entry is in the shared cache: `computed` for this run, or `shared`
   * when another run's job (a sweep's other trial, say) made it. Rejects with the remote error.
   * Events from there come through `emit`.
   */
  dispatch(
    stage: DispatchedStage,
    on: { emit: (event: RunEvent) => void; signal: AbortSignal },
  ): Promise<'computed' | 'shared'>;
}
