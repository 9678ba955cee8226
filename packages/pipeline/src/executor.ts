import { catchError, defer, finalize, forkJoin, from, map, mergeMap, Observable, of, shareReplay, switchMap, type Subscription } from 'rxjs';
import { CorruptEntryError, type CacheStore } from './cache-store.js';
import type { CodecRegistry } from './codec.js';
import { concurrencySlots } from './concurrency-slots.js';
import { CancelledError } from './errors.js';
import { namingStage } from './stage-errors.js';
import { HeldOutputs } from './held-outputs.js';
import type { RunEvent } from './events.js';
import type { StageContext, StageOutputs } from './stage-definition.js';
import { entryKey, planRun, type PlannedNode } from './plan-run.js';
import { checkOutputContracts, runStage, saveStageResult } from './run-stage.js';
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
interface StageResult {
  outputs: StageOutputs;
  key?: string;
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
  const dispatcher = options.dispatcher;
  if (dispatcher && !cache) throw new Error('a dispatcher needs a cache shared with the processes that compute the stages');

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

        /** The stage's inputs by port, the content hash of each, and the entry each comes from. */
        const inputs$ = (node: PlannedNode) => {
          const upstream = Object.entries(node.stage.inputs).map(([port, ref]) =>
            results$.get(ref.stage)!.pipe(map(({ outputs, hashes, key }) => ({ port, value: outputs[ref.port], hash: hashes?.[ref.port], from: { key: key!, port: ref.port } }))),
          );
          return (upstream.length ? forkJoin(upstream) : of([])).pipe(
            map((ports) => ({
              inputs: Object.fromEntries(ports.map(({ port, value }) => [port, value])),
              hashes: Object.fromEntries(ports.map(({ port, hash }) => [port, hash])),
              sources: Object.fromEntries(ports.map(({ port, from }) => [port, from])),
            })),
          );
        };

        const compute$ = (node: PlannedNode, inputs: StageOutputs, key: string): Observable<StageResult> => {
          const { stage } = node;
          return slots.run(
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
              return runStage(node, inputs, context).pipe(
                mergeMap(async (outputs) => {
                  held.hold(stage, outputs);
                  checkOutputContracts(node, outputs);
                  const durationMs = performance.now() - t0;
                  const manifest = cache && (await saveStageResult(cache, node, key, outputs, { durationMs, codecs: options.codecs, environment: options.environment }));
                  await cache?.linkRecipe(node.recipeKey, key);
                  emit({ type: 'stage-end', stageId: stage.id, stageType: node.type, key, cached: false, loaded: true, durationMs, outputs });
                  held.finished(stage);
                  return { outputs, key, hashes: manifest?.outputHashes };
                }),
                endOfStage(node, controller),
              );
            }),
          );
        };

        /** A computed or dispatched stage's end, however it ends: a failure reported with the stage named, the stage's signal fired. */
        const endOfStage =
          (node: PlannedNode, controller: AbortController) =>
          (result$: Observable<StageResult>): Observable<StageResult> =>
            result$.pipe(
              catchError((error: unknown) => {
                const named = namingStage(error, node);
                if (!(named instanceof CancelledError)) emit({ type: 'stage-error', stageId: node.id, message: (named as Error).message });
                throw named;
              }),
              finalize(() => controller.abort()),
            );

        /** The stage computed by the dispatcher's workers, then what the caller wants of it loaded from the shared cache. */
        const dispatch$ = (node: PlannedNode, sources: Record<string, { key: string; port: string }>, key: string): Observable<StageResult> =>
          slots.run(
            defer(() => {
              const controller = new AbortController();
              started.add(node.id);
              emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: false });
              const job = { stageId: node.id, stageType: node.type, key, recipeKey: node.recipeKey, inputs: sources, force: options.force ?? false };
              return from(dispatcher!.dispatch(job, { emit, signal: controller.signal })).pipe(
                switchMap((outcome) => fromEntry(node, key, outcome)),
                endOfStage(node, controller),
              );
            }),
          );

        /**
         * Entry `key` as the stage's result: from the cache (`loaded`), or made by a dispatched job, this
         * run's (`computed`) or another's (`shared`). Its outputs are read unless only its hashes are
         * needed (with a dispatcher, workers compute everything downstream).
         */
        const fromEntry = async (node: PlannedNode, key: string, how: 'loaded' | 'computed' | 'shared'): Promise<StageResult> => {
          const t0 = performance.now();
          const cached = how !== 'computed';
          const loaded = !dispatcher || want(node.stage);
          const { outputs, manifest } = loaded ? await cache!.loadEntry(key, options.codecs) : { outputs: undefined, manifest: await cache!.manifest(key) };
          if (!manifest) throw new CorruptEntryError(key, 'it is missing');
          if (how !== 'loaded') await cache!.linkRecipe(node.recipeKey, key);
          if (outputs) held.hold(node.stage, outputs);
          const durationMs = cached ? performance.now() - t0 : manifest.durationMs;
          emit({ type: 'stage-end', stageId: node.id, stageType: node.type, key, cached, loaded, durationMs, ...(outputs && { outputs }) });
          if (outputs) held.finished(node.stage);
          return { outputs: outputs ?? {}, key, hashes: manifest.outputHashes };
        };

        /** Loads entry `key`; a corrupt one is reported, removed and made again by `remake`. */
        const load$ = (node: PlannedNode, key: string, remake: () => Observable<StageResult>): Observable<StageResult> =>
          defer(() => {
            started.add(node.id);
            emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: true });
            return fromEntry(node, key, 'loaded');
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
            switchMap(({ inputs, hashes, sources }) => {
              const key = entryKey(node, hashes);
              const make = () => (dispatcher ? dispatch$(node, sources, key) : compute$(node, inputs, key));
              const reusable = !options.force && cache ? from(cache.has(key)) : of(false);
              return reusable.pipe(
                switchMap((found) => {
                  if (!found) return make();
                  emit({ type: 'stage-log', stageId: node.id, level: 'info', message: `inputs unchanged in content: reusing entry ${key.slice(0, 12)}` });
                  return from(cache!.linkRecipe(node.recipeKey, key)).pipe(switchMap(() => load$(node, key, make)));
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
