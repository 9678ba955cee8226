import { catchError, defer, finalize, forkJoin, from, map, mergeMap, Observable, of, switchMap } from 'rxjs';
import { CorruptEntryError } from './cache-store.js';
import { CancelledError } from './errors.js';
import { entryKey, type PlannedNode } from './plan-run.js';
import { checkOutputContracts, runStage, saveStageResult } from './run-stage.js';
import type { RunState, StageResult } from './run-state.js';
import type { StageContext, StageOutputs } from './stage-definition.js';
import { namingStage } from './stage-errors.js';

// How one stage of a run comes to its result: loaded from the cache, reused by the content of its
// inputs, computed here, or computed by a dispatcher's workers. Each function takes the run's state.

type Sources = Record<string, { key: string; port: string }>;

/** A stage's result: the planned entry loaded when the plan found one, else keyed by its inputs' content. */
export function stageResult$(run: RunState, node: PlannedNode): Observable<StageResult> {
  return node.cached ? load$(run, node, node.key!, () => resolve$(run, node)) : resolve$(run, node);
}

/** The stage's inputs by port, the content hash of each, and the entry each comes from. */
function inputs$(run: RunState, node: PlannedNode) {
  const upstream = Object.entries(node.stage.inputs).map(([port, ref]) =>
    run.results$.get(ref.stage)!.pipe(
      map(({ outputs, hashes, key }) => ({
        port,
        value: outputs[ref.port],
        hash: hashes?.[ref.port],
        from: { key: key!, port: ref.port },
      })),
    ),
  );
  return (upstream.length ? forkJoin(upstream) : of([])).pipe(
    map((ports) => ({
      inputs: Object.fromEntries(ports.map(({ port, value }) => [port, value])),
      hashes: Object.fromEntries(ports.map(({ port, hash }) => [port, hash])),
      sources: Object.fromEntries(ports.map(({ port, from }) => [port, from])) as Sources,
    })),
  );
}

/** A stage the plan could not find: keyed by its inputs' content, then reused or computed. */
function resolve$(run: RunState, node: PlannedNode): Observable<StageResult> {
  const { cache, dispatcher, force } = run.options;
  return inputs$(run, node).pipe(
    switchMap(({ inputs, hashes, sources }) => {
      const key = entryKey(node, hashes);
      const make = () => (dispatcher ? dispatch$(run, node, sources, key) : compute$(run, node, inputs, key));
      const reusable = !force && cache ? from(cache.has(key)) : of(false);
      return reusable.pipe(
        switchMap((found) => {
          if (!found) return make();
          run.emit({
            type: 'stage-log',
            stageId: node.id,
            level: 'info',
            message: `inputs unchanged in content: reusing entry ${key.slice(0, 12)}`,
          });
          return from(cache!.linkRecipe(node.recipeKey, key)).pipe(switchMap(() => load$(run, node, key, make)));
        }),
      );
    }),
  );
}

/** Loads entry `key`; a corrupt one is reported, removed and made again by `remake`. */
function load$(
  run: RunState,
  node: PlannedNode,
  key: string,
  remake: () => Observable<StageResult>,
): Observable<StageResult> {
  return defer(() => {
    run.started.add(node.id);
    run.emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: true });
    return fromEntry(run, node, key, 'loaded');
  }).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof CorruptEntryError)) throw error;
      run.emit({
        type: 'stage-log',
        stageId: node.id,
        level: 'warn',
        message: `${error.message}; removing it and recomputing`,
      });
      return from(run.options.cache!.remove(key)).pipe(switchMap(remake));
    }),
  );
}

/** The stage run here, in a slot: its outputs checked against their contracts, stored, then handed on. */
function compute$(run: RunState, node: PlannedNode, inputs: StageOutputs, key: string): Observable<StageResult> {
  const { cache, codecs, environment } = run.options;
  return run.slots.run(
    defer(() => {
      const controller = new AbortController();
      const context = stageContext(run, node, controller.signal);
      run.started.add(node.id);
      run.emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: false });
      const t0 = performance.now();
      return runStage(node, inputs, context).pipe(
        mergeMap(async (outputs) => {
          run.held.hold(node.stage, outputs);
          checkOutputContracts(node, outputs);
          const durationMs = performance.now() - t0;
          const manifest =
            cache && (await saveStageResult(cache, node, key, outputs, { durationMs, codecs, environment }));
          await cache?.linkRecipe(node.recipeKey, key);
          run.emit({
            type: 'stage-end',
            stageId: node.id,
            stageType: node.type,
            key,
            cached: false,
            loaded: true,
            durationMs,
            outputs,
          });
          run.held.finished(node.stage);
          return { outputs, key, hashes: manifest?.outputHashes };
        }),
        endOfStage(run, node, controller),
      );
    }),
  );
}

function stageContext(run: RunState, node: PlannedNode, signal: AbortSignal): StageContext {
  const stageId = node.id;
  return {
    stageId,
    seed: node.seed,
    signal,
    workDir: run.workDir,
    progress: (progress) => run.emit({ type: 'stage-progress', stageId, progress }),
    log: (message) => run.emit({ type: 'stage-log', stageId, level: 'info', message }),
  };
}

/** The stage computed by the dispatcher's workers, then what the caller wants of it loaded from the shared cache. */
function dispatch$(run: RunState, node: PlannedNode, sources: Sources, key: string): Observable<StageResult> {
  return run.slots.run(
    defer(() => {
      const controller = new AbortController();
      run.started.add(node.id);
      run.emit({ type: 'stage-start', stageId: node.id, stageType: node.type, key, cached: false });
      const job = {
        stageId: node.id,
        stageType: node.type,
        key,
        recipeKey: node.recipeKey,
        inputs: sources,
        force: run.options.force ?? false,
      };
      return from(run.options.dispatcher!.dispatch(job, { emit: run.emit, signal: controller.signal })).pipe(
        switchMap((outcome) => fromEntry(run, node, key, outcome)),
        endOfStage(run, node, controller),
      );
    }),
  );
}

/** A computed or dispatched stage's end, however it ends: a failure reported with the stage named, the stage's signal fired. */
function endOfStage(run: RunState, node: PlannedNode, controller: AbortController) {
  return (result$: Observable<StageResult>): Observable<StageResult> =>
    result$.pipe(
      catchError((error: unknown) => {
        const named = namingStage(error, node);
        if (!(named instanceof CancelledError))
          run.emit({ type: 'stage-error', stageId: node.id, message: (named as Error).message });
        throw named;
      }),
      finalize(() => controller.abort()),
    );
}

/**
 * Entry `key` as the stage's result: from the cache (`loaded`), or made by a dispatched job, this
 * run's (`computed`) or another's (`shared`). Its outputs are read unless only its hashes are
 * needed (with a dispatcher, workers compute everything downstream).
 */
async function fromEntry(
  run: RunState,
  node: PlannedNode,
  key: string,
  how: 'loaded' | 'computed' | 'shared',
): Promise<StageResult> {
  const cache = run.options.cache!;
  const t0 = performance.now();
  const cached = how !== 'computed';
  const loaded = !run.options.dispatcher || run.want(node.stage);
  const { outputs, manifest } = loaded
    ? await cache.loadEntry(key, run.options.codecs)
    : { outputs: undefined, manifest: await cache.manifest(key) };
  if (!manifest) throw new CorruptEntryError(key, 'it is missing');
  if (how !== 'loaded') await cache.linkRecipe(node.recipeKey, key);
  if (outputs) run.held.hold(node.stage, outputs);
  const durationMs = cached ? performance.now() - t0 : manifest.durationMs;
  run.emit({
    type: 'stage-end',
    stageId: node.id,
    stageType: node.type,
    key,
    cached,
    loaded,
    durationMs,
    ...(outputs && { outputs }),
  });
  if (outputs) run.held.finished(node.stage);
  return { outputs: outputs ?? {}, key, hashes: manifest.outputHashes };
}
