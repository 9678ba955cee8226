import { forkJoin, Observable, of, shareReplay, type Subscriber, type Subscription } from 'rxjs';
import type { RunEvent } from './events.js';
import { planRun, type PlannedNode } from './plan-run.js';
import { createRunState, type ExecuteOptions, type RunState } from './run-state.js';
import { stageResult$ } from './stage-result.js';
import type { ValidatedPipeline } from './validate-config.js';

export type { ExecuteOptions } from './run-state.js';

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
  if (options.dispatcher && !options.cache)
    throw new Error('a dispatcher needs a cache shared with the processes that compute the stages');
  return new Observable<RunEvent>((subscriber) => {
    const run = createRunState(pipeline, options, (event) => subscriber.next(event));
    const runStart = performance.now();
    let graph: Subscription | undefined;
    let closed = false;
    planRun(pipeline, options, run.workDir).then(
      (plan) => {
        if (!closed) graph = runGraph(run, pipeline, plan, subscriber, runStart);
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      closed = true;
      graph?.unsubscribe();
      run.held.releaseAll();
    };
  });
}

/** Announces the plan, wires each stage's result to the stages it reads, and runs what must run. */
function runGraph(
  run: RunState,
  pipeline: ValidatedPipeline,
  plan: Map<string, PlannedNode>,
  subscriber: Subscriber<RunEvent>,
  runStart: number,
): Subscription {
  const nodes = [...plan.values()];
  run.emit({
    type: 'run-start',
    pipeline: pipeline.name,
    stages: nodes.map(({ id, type, recipeKey, key, cached }) => ({ id, type, recipeKey, key, cached })),
    time: new Date().toISOString(),
  });
  for (const node of nodes)
    run.results$.set(node.id, stageResult$(run, node).pipe(shareReplay({ bufferSize: 1, refCount: true })));
  const targets = nodes.filter((node) => !node.cached || run.want(node.stage));
  return (targets.length ? forkJoin(targets.map((node) => run.results$.get(node.id)!)) : of([])).subscribe({
    error: (error: unknown) => subscriber.error(error),
    complete: () => {
      for (const node of nodes) {
        if (!run.started.has(node.id))
          run.emit({
            type: 'stage-end',
            stageId: node.id,
            stageType: node.type,
            key: node.key!,
            cached: true,
            loaded: false,
            durationMs: 0,
          });
      }
      run.emit({ type: 'run-end', durationMs: performance.now() - runStart });
      subscriber.complete();
    },
  });
}
