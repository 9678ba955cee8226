import { catchError, defer, finalize, forkJoin, from, isObservable, map, mergeMap, Observable, of, shareReplay, switchMap, take, type Subscription } from 'rxjs';
import { CorruptEntryError, type CacheStore } from './cache-store.js';
import type { CodecRegistry } from './codec.js';
import { concurrencySlots } from './concurrency-slots.js';
import { CancelledError } from './errors.js';
import { namingStage } from './stage-errors.js';
import { HeldOutputs } from './held-outputs.js';
import type { RunEvent } from './events.js';
import type { StageContext, StageOutputs } from './stage-definition.js';
import { entryKey, planRun, type PlannedNode } from './plan-run.js';
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

/** What a stage hands downstream: its outputs and, with a cache, each output port's content hash. */
interface StageResult {
  outputs: StageOutputs;
  hashes?: Record<string, string>;
}

/**
 * Runs a validated pipeline as a graph of shared Observables: a stage starts when the stages it
 * reads from have emitted, so independent branches run concurrently. A stage whose recipe the
 * cache knows is loaded only when a stage that must run reads it, or the caller wants it; any
 * other stage is keyed by the content of its inputs once they are there, and reuses an entry with
 * that key if one exists (early cutoff) instead of computing. Unsubscribing cancels the run:
 * running stages see their signal fire and nothing further is written to the cache. Each output is
 * disposed through its codec once the stages reading it are done (wanted ones when the run ends).
 */
export function executePipeline(pipeline: ValidatedPipeline, options: ExecuteOptions): Observable<RunEvent> {
  const workDir = options.workDir ?? process.cwd();
  const consumers = new Set(pipeline.stages.flatMap((stage) => Object.values(stage.inputs).map((ref) => ref.stage)));
  const want = options.want ?? ((stage: ValidatedStage) => !consumers.has(stage.id));
  const cache = options.cache;

  return new Observable<RunEvent>((subscriber) => {
    const emit = (event: RunEvent) => subscriber.next(event);
    const held = new HeldOutputs(pipeline.stages, options.codecs, want); // released as their readers finish
    const started = new Set<string>();
    const runStart = performance.now();
    const slots = concurrencySlots(options.concurrency ?? Infinity);
    let graph: Subscription | undefined;
    let closed = false;

    planRun(pipeline, options, workDir).then(
      (plan) => {
        if (closed) return;
        emit({
          type: 'run-start',
          pipeline: pipeline.name,
          stages: [...plan.values()].map(({ id, type, recipeKey, key, cached }) => ({ id, type, recipeKey, key, cached })),
          time: new Date().toISOString(),
        });
        const results$ = new Map<string, Observable<StageResult>>();

        /** The stage's inputs by port, and the content hash of each. */
        const inputs$ = (node: PlannedNode) => {
          const upstream = Object.entries(node.stage.inputs).map(([port, ref]) =>
            results$.get(ref.stage)!.pipe(map(({ outputs, hashes }) => [port, outputs[ref.port], hashes?.[ref.port]] as const)),
          );
          return (upstream.length ? forkJoin(upstream) : of([])).pipe(
            map((ports) => ({ inputs: Object.fromEntries(ports.map(([port, value]) => [port, value])), hashes: Object.fromEntries(ports.map(([port, , hash]) => [port, hash])) })),
          );
        };

        const compute$ = (node: PlannedNode, inputs: StageOutputs, key: string): Observable<StageResult> => {
          const { stage } = node;
          return slots.acquire().pipe(
            switchMap(() =>
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
                emit({ type: 'stage-start', stageId: stage.id, stageType: node.type, key, cached: false });
                const t0 = performance.now();
                const result = stage.definition.run(inputs, stage.params, context);
                return (isObservable(result) ? result : from(result)).pipe(
                  take(1),
                  mergeMap(async (outputs) => {
                    const missing = Object.keys(stage.definition.outputs).filter((port) => outputs?.[port] === undefined);
                    if (missing.length) throw new Error(`stage ${stage.id} (${node.type}) produced no ${missing.join(', ')}`);
                    held.hold(stage, outputs);
                    // a stage (a plugin's, say) that gives what its port's contract does not promise fails here, named
                    for (const [port, spec] of Object.entries(stage.definition.outputs)) {
                      const broken = spec.contract?.check?.(outputs[port]);
                      if (broken) throw new Error(`stage ${stage.id} (${node.type}), output ${port} (${spec.contract!.name}): ${broken}`);
                    }
                    const durationMs = performance.now() - t0;
                    const manifest = await cache?.save(
                      {
                        key,
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
                    await cache?.linkRecipe(node.recipeKey, key);
                    emit({ type: 'stage-end', stageId: stage.id, stageType: node.type, key, cached: false, loaded: true, durationMs, outputs });
                    held.finished(stage);
                    return { outputs, hashes: manifest?.outputHashes };
                  }),
                  catchError((error: unknown) => {
                    const named = namingStage(error, node);
                    if (!(named instanceof CancelledError)) emit({ type: 'stage-error', stageId: stage.id, message: (named as Error).message });
                    throw named;
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

        /** Loads entry `key`; a corrupt one is reported, removed and made again by `remake`. */
        const load$ = (node: PlannedNode, key: string, remake: () => Observable<StageResult>): Observable<StageResult> =>
          defer(async () => {
            started.add(node.id);
            emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: true });
            const t0 = performance.now();
            const { outputs, manifest } = await cache!.loadEntry(key, options.codecs);
            held.hold(node.stage, outputs);
            emit({ type: 'stage-end', stageId: node.id, stageType: node.type, key, cached: true, loaded: true, durationMs: performance.now() - t0, outputs });
            held.finished(node.stage);
            return { outputs, hashes: manifest.outputHashes };
          }).pipe(
            catchError((error: unknown) => {
              if (!(error instanceof CorruptEntryError)) throw error;
              emit({ type: 'stage-log', stageId: node.id, level: 'warn', message: `${error.message}; removing it and recomputing` });
              return from(cache!.remove(key)).pipe(switchMap(remake));
            }),
          );

        /** A stage the plan could not find: keyed by its inputs' content, then reused or computed. */
        const resolve$ = (node: PlannedNode): Observable<StageResult> =>
          inputs$(node).pipe(
            switchMap(({ inputs, hashes }) => {
              const key = entryKey(node, hashes);
              const reusable = !options.force && cache ? from(cache.has(key)) : of(false);
              return reusable.pipe(
                switchMap((found) => {
                  if (!found) return compute$(node, inputs, key);
                  emit({ type: 'stage-log', stageId: node.id, level: 'info', message: `inputs unchanged in content: reusing entry ${key.slice(0, 12)}` });
                  return from(cache!.linkRecipe(node.recipeKey, key)).pipe(switchMap(() => load$(node, key, () => compute$(node, inputs, key))));
                }),
              );
            }),
          );

        for (const node of plan.values()) {
          const result$ = node.cached ? load$(node, node.key!, () => resolve$(node)) : resolve$(node);
          results$.set(node.id, result$.pipe(shareReplay({ bufferSize: 1, refCount: true })));
        }
        const targets = [...plan.values()].filter((node) => !node.cached || want(node.stage));
        graph = (targets.length ? forkJoin(targets.map((node) => results$.get(node.id)!)) : of([])).subscribe({
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            for (const node of plan.values()) {
              if (!started.has(node.id)) emit({ type: 'stage-end', stageId: node.id, stageType: node.type, key: node.key!, cached: true, loaded: false, durationMs: 0 });
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
