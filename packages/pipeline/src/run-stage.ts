import { catchError, defer, from, isObservable, map, Observable, take, throwIfEmpty } from 'rxjs';
import type { CacheStore } from './cache-store.js';
import type { CacheManifest } from './cache-manifest.js';
import type { CodecRegistry } from './codec.js';
import { StageFault } from './errors.js';
import { namingFailure } from './stage-errors.js';
import type { StageContext, StageOutputs } from './stage-definition.js';
import type { ValidatedStage } from './validate-config.js';

interface StageNode {
  stage: ValidatedStage;
  type: string;
}

/**
 * One stage's computation on its inputs, in this process: its first result, with every output port
 * filled. Outputs returned as they are, not in a promise, count as a promise's; a run that completes
 * without any fails, naming the stage (it would otherwise be missing from the run, silently).
 */
export function runStage(
  { stage, type }: StageNode,
  inputs: StageOutputs,
  context: StageContext,
): Observable<StageOutputs> {
  return defer(() => {
    const result = stage.definition.run(inputs, stage.params, context);
    return isObservable(result) ? withContainedTeardown(result) : from(Promise.resolve(result));
  }).pipe(
    // the stage's own failure (a plugin's Error, a library's TypeError) says which stage it was
    catchError((error: unknown) => {
      throw namingFailure(error, { id: stage.id, type });
    }),
    take(1),
    throwIfEmpty(() => new StageFault(`stage ${stage.id} (${type}): its run completed without producing outputs`)),
    map((outputs) => {
      const missing = Object.keys(stage.definition.outputs).filter((port) => outputs?.[port] === undefined);
      if (missing.length) throw new Error(`stage ${stage.id} (${type}) produced no ${missing.join(', ')}`);
      return outputs;
    }),
  );
}

/**
 * A stage's Observable whose teardown may throw: unsubscribing it (a cancel, or after its first
 * value) must still end the run as it should, not in an rxjs UnsubscriptionError's stack trace.
 */
function withContainedTeardown<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    // a plain observer, not `subscriber`: the source's teardown then stays with `inner`
    const inner = source.subscribe({
      next: (value) => subscriber.next(value),
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      try {
        inner.unsubscribe();
      } catch {
        // the stage is over either way; what its teardown failed to release goes with the process
      }
    };
  });
}

/** A stage (a plugin's, say) that gives what its port's contract does not promise fails here, named. */
export function checkOutputContracts({ stage, type }: StageNode, outputs: StageOutputs): void {
  for (const [port, spec] of Object.entries(stage.definition.outputs)) {
    const broken = spec.contract?.check?.(outputs[port]);
    if (broken) throw new Error(`stage ${stage.id} (${type}), output ${port} (${spec.contract!.name}): ${broken}`);
  }
}

/** Stores a computed stage's outputs as entry `key`, with what made them. */
export function saveStageResult(
  cache: CacheStore,
  { stage, type }: StageNode,
  key: string,
  outputs: StageOutputs,
  details: { durationMs: number; codecs: CodecRegistry; environment?: Record<string, string> },
): Promise<CacheManifest> {
  return cache.save(
    {
      key,
      stageId: stage.id,
      stageType: type,
      stageVersion: stage.definition.version,
      params: stage.params,
      durationMs: details.durationMs,
      outputs: Object.fromEntries(Object.entries(stage.definition.outputs).map(([port, spec]) => [port, spec.kind])),
      environment: details.environment,
    },
    outputs,
    details.codecs,
  );
}
