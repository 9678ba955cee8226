import { catchError, defer, finalize, forkJoin, from, isObservable, map, mergeMap, Observable, of, shareReplay, switchMap, take, type Subscription } from 'rxjs';
import { cacheKey, stageSeed } from './cache-key.js';
import { CorruptEntryError, type CacheStore } from './cache-store.js';
import type { CodecRegistry } from './codec.js';
import { concurrencySlots } from './concurrency-slots.js';
import { CancelledError } from './errors.js';
import { HeldOutputs } from './held-outputs.js';
import type { PlannedStage, RunEvent } from './events.js';
import type { StageContext, StageOutputs } from './stage-definition.js';
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
}

interface PlannedNode extends PlannedStage {
  stage: ValidatedStage;
  seed: number;
}

/** Computes every stage's cache key before anything runs: keys depend on config and inputs' keys only. */
async function planRun(pipeline: ValidatedPipeline, options: ExecuteOptions, workDir: string): Promise<Map<string, PlannedNode>> {
  const plan = new Map<string, PlannedNode>();
  for (const stage of pipeline.stages) {
    const { definition } = stage;
    const seed = stageSeed(pipeline.seed, stage.id);
    const key = cacheKey({
      type: definition.type,
      version: definition.version,
      params: stage.params,
      seed,
      inputs: Object.fromEntries(Object.entries(stage.inputs).map(([port, ref]) => [port, `${plan.get(ref.stage)!.key}:${ref.port}`])),
      fingerprint: definition.fingerprint ? await definition.fingerprint(stage.params, { workDir }) : undefined,
    });
    const cached = !options.force && options.cache ? await options.cache.has(key) : false;
    plan.set(stage.id, { id: stage.id, type: definition.type, key, cached, stage, seed });
  }
  return plan;
}

/**
 * Runs a validated pipeline as a graph of shared Observables: a stage starts when the stages it
 * reads from have emitted, so independent branches run concurrently. A cached stage is loaded only
 * when a stage that must run reads it, or the caller wants it. Unsubscribing cancels the run:
 * running stages see their signal fire and nothing further is written to the cache. Every output
 * is disposed through its codec when the run ends, however it ends.
 */
export function executePipeline(pipeline: ValidatedPipeline, options: ExecuteOptions): Observable<RunEvent> {
  const workDir = options.workDir ?? process.cwd();
  const consumers = new Set(pipeline.stages.flatMap((stage) => Object.values(stage.inputs).map((ref) => ref.stage)));
  const want = options.want ?? ((stage: ValidatedStage) => !consumers.has(stage.id));

  return new Observable<RunEvent>((subscriber) => {
    const emit = (event: RunEvent) => subscriber.next(event);
    const held = new HeldOutputs(pipeline.stages, options.codecs, want); // released as their readers finish
    const started = new Set<string>();
    const runStart = performance.now();
    let graph: Subscription | undefined;
    let closed = false;

    const slots = concurrencySlots(options.concurrency ?? Infinity);

    planRun(pipeline, options, workDir).then(
      (plan) => {
        if (closed) return;
        emit({
          type: 'run-start',
          pipeline: pipeline.name,
          stages: [...plan.values()].map(({ id, type, key, cached }) => ({ id, type, key, cached })),
          time: new Date().toISOString(),
        });
        const outputs$ = new Map<string, Observable<StageOutputs>>();

        const compute$ = (node: PlannedNode): Observable<StageOutputs> => {
          const { stage } = node;
          const upstream = Object.entries(stage.inputs).map(([port, ref]) => outputs$.get(ref.stage)!.pipe(map((outputs) => [port, outputs[ref.port]] as const)));
          const inputs$ = upstream.length ? forkJoin(upstream).pipe(map((pairs) => Object.fromEntries(pairs))) : of({});
          return inputs$.pipe(
            switchMap((inputs) => slots.acquire().pipe(map(() => inputs))),
            switchMap((inputs) =>
              defer(() => {
                const controller = new AbortController();
                const context: StageContext = {
                  stageId: stage.id,
                  seed: node.seed,
                  signal: controller.signal,
                  workDir,
                  progress: (progress) => emit({ type: 'stage-progress', stageId: stage.id, progress }),
                  log: (message) => emit({ type: 'stage-log', stageId: stage.id, level: 'info', message }),
                };
                started.add(stage.id);
                emit({ type: 'stage-start', stageId: stage.id, stageType: node.type, key: node.key, cached: false });
                const t0 = performance.now();
                const result = stage.definition.run(inputs, stage.params, context);
                return (isObservable(result) ? result : from(result)).pipe(
                  take(1),
                  mergeMap(async (outputs) => {
                    const missing = Object.keys(stage.definition.outputs).filter((port) => outputs?.[port] === undefined);
                    if (missing.length) throw new Error(`stage ${stage.id} (${node.type}) produced no ${missing.join(', ')}`);
                    held.hold(stage, outputs);
                    const durationMs = performance.now() - t0;
                    await options.cache?.save(
                      {
                        key: node.key,
                        stageId: stage.id,
                        stageType: node.type,
                        stageVersion: stage.definition.version,
                        params: stage.params,
                        durationMs,
                        outputs: Object.fromEntries(Object.entries(stage.definition.outputs).map(([port, spec]) => [port, spec.kind])),
                        environment: options.environment,
                      },
                      outputs,
                      options.codecs,
                    );
                    emit({ type: 'stage-end', stageId: stage.id, stageType: node.type, key: node.key, cached: false, loaded: true, durationMs, outputs });
                    held.finished(stage);
                    return outputs;
                  }),
                  catchError((error: unknown) => {
                    if (!(error instanceof CancelledError)) emit({ type: 'stage-error', stageId: stage.id, message: (error as Error).message });
                    throw error;
                  }),
                  finalize(() => {
                    controller.abort();
                    slots.release();
                  }),
                );
              }),
            ),
          );
        };

        const load$ = (node: PlannedNode): Observable<StageOutputs> =>
          defer(async () => {
            started.add(node.id);
            emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key: node.key, cached: true });
            const t0 = performance.now();
            const outputs = await options.cache!.load(node.key, options.codecs);
            held.hold(node.stage, outputs);
            emit({ type: 'stage-end', stageId: node.id, stageType: node.type, key: node.key, cached: true, loaded: true, durationMs: performance.now() - t0, outputs });
            held.finished(node.stage);
            return outputs;
          }).pipe(
            catchError((error: unknown) => {
              if (!(error instanceof CorruptEntryError)) throw error;
              emit({ type: 'stage-log', stageId: node.id, level: 'warn', message: `${error.message}; removing it and recomputing` });
              return from(options.cache!.remove(node.key)).pipe(switchMap(() => compute$(node)));
            }),
          );

        for (const node of plan.values()) {
          outputs$.set(node.id, (node.cached ? load$(node) : compute$(node)).pipe(shareReplay({ bufferSize: 1, refCount: true })));
        }
        const targets = [...plan.values()].filter((node) => !node.cached || want(node.stage));
        graph = (targets.length ? forkJoin(targets.map((node) => outputs$.get(node.id)!)) : of([])).subscribe({
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            for (const node of plan.values()) {
              if (!started.has(node.id)) emit({ type: 'stage-end', stageId: node.id, stageType: node.type, key: node.key, cached: true, loaded: false, durationMs: 0 });
            }
            emit({ type: 'run-end', durationMs: performance.now() - runStart });
            subscriber.complete();
          },
        });
      },
      (error: unknown) => subscriber.error(error),
    );

    return () => {
      closed = true;
      graph?.unsubscribe();
      held.releaseAll();
    };
  });
}
