import { firstValueFrom } from 'rxjs';
import { stageSeed } from './cache-key.js';
import { CorruptEntryError, type CacheStore } from './cache-store.js';
import type { CodecRegistry } from './codec.js';
import { CancelledError } from './errors.js';
import { entryKey, type PlannedNode } from './plan-run.js';
import { checkOutputContracts, runStage, saveStageResult } from './run-stage.js';
import type { DispatchedStage } from './stage-dispatcher.js';
import type { StageContext, StageOutputs, StageProgress } from './stage-definition.js';
import { namingStage } from './stage-errors.js';
import type { ValidatedPipeline } from './validate-config.js';

export interface DispatchedRunOptions {
  cache: CacheStore;
  codecs: CodecRegistry;
  /** Where the run's relative paths resolve: the dispatching process's working directory. */
  workDir: string;
  signal: AbortSignal;
  progress?: (progress: StageProgress) => void;
  log?: (message: string) => void;
  /** Recorded in the cache entry (this process's backend, its host). */
  environment?: Record<string, string>;
}

/** Thrown where this process would store the stage's result under another key than the dispatcher asked for. */
export class KeyMismatchError extends Error {}

/**
 * The far side of a dispatch: computes stage `job` of `pipeline` in this process from the shared
 * cache's entries and stores its result there. The entry key is recomputed from this process's
 * stage version, fingerprint and the inputs' content hashes, so a worker with other stage code or
 * other data files refuses the job instead of filing a different result under the key. Computing
 * an entry that exists is skipped (a retried job after a crash, say), unless the job forces it.
 */
export async function computeDispatchedStage(
  pipeline: ValidatedPipeline,
  job: DispatchedStage,
  options: DispatchedRunOptions,
): Promise<{ computed: boolean; durationMs: number }> {
  const { cache, codecs } = options;
  const stage = pipeline.stages.find((s) => s.id === job.stageId);
  if (!stage) throw new KeyMismatchError(`the pipeline has no stage ${job.stageId}`);
  if (!job.force && (await cache.has(job.key))) return { computed: false, durationMs: 0 }; // before the fingerprint: it may hash data files
  const fingerprint = await stage.definition.fingerprint?.(stage.params, { workDir: options.workDir });
  const node: PlannedNode = {
    id: stage.id,
    type: stage.definition.type,
    recipeKey: job.recipeKey,
    cached: false,
    stage,
    seed: stageSeed(pipeline.seed, stage.id),
    fingerprint,
  };

  const loaded = new Map<
    string,
    { outputs: StageOutputs; kinds: Record<string, string>; hashes: Record<string, string> }
  >();
  try {
    for (const { key } of Object.values(job.inputs)) {
      if (loaded.has(key)) continue;
      const { outputs, manifest } = await cache.loadEntry(key, codecs).catch(async (error: unknown) => {
        if (error instanceof CorruptEntryError) await cache.remove(key); // the next run recomputes it
        throw error;
      });
      loaded.set(key, { outputs, kinds: manifest.outputs, hashes: manifest.outputHashes });
    }
    const inputs = Object.fromEntries(
      Object.entries(job.inputs).map(([port, from]) => [port, loaded.get(from.key)!.outputs[from.port]]),
    );
    const hashes = Object.fromEntries(
      Object.entries(job.inputs).map(([port, from]) => [port, loaded.get(from.key)!.hashes[from.port]]),
    );
    const key = entryKey(node, hashes);
    if (key !== job.key) {
      throw new KeyMismatchError(
        `stage ${stage.id} (${node.type}) here has key ${key.slice(0, 12)}, the run asked for ${job.key.slice(0, 12)}: this process's stage versions, plugins or data files differ from the dispatcher's`,
      );
    }
    const context: StageContext = {
      stageId: stage.id,
      seed: node.seed,
      signal: options.signal,
      workDir: options.workDir,
      progress: (p) => options.progress?.(p),
      log: (message) => options.log?.(message),
    };
    const t0 = performance.now();
    let outputs: StageOutputs;
    try {
      outputs = await firstValueFrom(runStage(node, inputs, context));
    } catch (error) {
      if (options.signal.aborted && !(error instanceof CancelledError)) throw new CancelledError(`stage ${stage.id}`);
      throw namingStage(error, node);
    }
    try {
      checkOutputContracts(node, outputs);
      await saveStageResult(cache, node, key, outputs, {
        durationMs: performance.now() - t0,
        codecs,
        environment: options.environment,
      });
    } finally {
      disposeOutputs(
        codecs,
        outputs,
        Object.fromEntries(Object.entries(stage.definition.outputs).map(([port, spec]) => [port, spec.kind])),
        new Set(Object.values(inputs)),
      );
    }
    return { computed: true, durationMs: performance.now() - t0 };
  } finally {
    for (const { outputs, kinds } of loaded.values()) disposeOutputs(codecs, outputs, kinds);
  }
}

/** Each output disposed through its kind's codec, but for values still in use elsewhere (a stage passing an input through). */
function disposeOutputs(
  codecs: CodecRegistry,
  outputs: StageOutputs,
  kinds: Record<string, string>,
  keep = new Set<unknown>(),
): void {
  for (const [port, kind] of Object.entries(kinds))
    if (!keep.has(outputs[port])) codecs.get(kind).dispose?.(outputs[port]);
}
