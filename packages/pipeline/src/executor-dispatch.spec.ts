import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { CacheStore } from './cache-store.js';
import { CodecRegistry } from './codec.js';
import { computeDispatchedStage, KeyMismatchError } from './compute-dispatched.js';
import type { RunEvent } from './events.js';
import { executePipeline } from './executor.js';
import type { StageDispatcher } from './stage-dispatcher.js';
import { runLog, testRegistry } from './test-support/test-stages.js';
import { validateConfig, type ValidatedPipeline } from './validate-config.js';

const registry = testRegistry();
const codecs = new CodecRegistry();
let dir: string;
let cache: CacheStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-dispatch-'));
  cache = new CacheStore(join(dir, 'cache'));
  runLog.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const config = (factor = 2) =>
  validateConfig(
    {
      name: 'p',
      stages: {
        left: { type: 'test.numbers', params: { values: [1, 2, 3] } },
        right: { type: 'test.numbers', params: { values: [10] } },
        doubled: { type: 'test.scale', params: { factor }, inputs: { values: 'left.values' } },
        total: { type: 'test.sum', params: { label: 'total' }, inputs: { a: 'doubled.values', b: 'right.values' } },
      },
    },
    registry,
  );

/** What a queue's worker does, without the queue: each dispatched stage computed from the shared cache by `worker`'s copy of the pipeline. */
function workerDispatcher(worker: ValidatedPipeline, workerCache = cache) {
  const dispatched: string[] = [];
  const dispatcher: StageDispatcher = {
    async dispatch(job, { emit, signal }) {
      dispatched.push(job.stageId);
      const { computed } = await computeDispatchedStage(worker, job, {
        cache: workerCache,
        codecs,
        workDir: dir,
        signal,
        progress: (progress) => emit({ type: 'stage-progress', stageId: job.stageId, progress }),
      });
      return computed ? 'computed' : 'shared';
    },
  };
  return { dispatcher, dispatched };
}

const run = (pipeline: ValidatedPipeline, dispatcher?: StageDispatcher) =>
  lastValueFrom(executePipeline(pipeline, { codecs, cache, dispatcher }).pipe(toArray()));
const ends = (events: RunEvent[]) =>
  Object.fromEntries(
    events.filter((e) => e.type === 'stage-end').map((e) => [e.stageId, e as Extract<RunEvent, { type: 'stage-end' }>]),
  );

describe('executePipeline with a dispatcher', () => {
  it('hands every stage to the dispatcher and loads only the wanted result, equal to a local run', async () => {
    const { dispatcher, dispatched } = workerDispatcher(config());
    const remote = ends(await run(config(), dispatcher));
    expect(dispatched.sort()).toEqual(['doubled', 'left', 'right', 'total']);
    expect(remote.total.outputs).toEqual({ metrics: { total: 22 } });
    expect(remote.left).toMatchObject({ cached: false, loaded: false });
    expect(remote.left.outputs).toBeUndefined();

    const local = ends(
      await lastValueFrom(
        executePipeline(config(), { codecs, cache: new CacheStore(join(dir, 'local')) }).pipe(toArray()),
      ),
    );
    expect(local.total.outputs).toEqual(remote.total.outputs);
    expect(Object.fromEntries(Object.values(local).map((e) => [e.stageId, e.key]))).toEqual(
      Object.fromEntries(Object.values(remote).map((e) => [e.stageId, e.key])),
    );
  });

  it('dispatches nothing the cache has: a second run and the unchanged branch of a changed one', async () => {
    const { dispatcher, dispatched } = workerDispatcher(config());
    await run(config(), dispatcher);
    dispatched.length = 0;
    const again = ends(await run(config(), dispatcher));
    expect(dispatched).toEqual([]);
    expect(again.total).toMatchObject({ cached: true, outputs: { metrics: { total: 22 } } });

    const changed = workerDispatcher(config(3));
    const third = ends(await run(config(3), changed.dispatcher));
    expect(changed.dispatched.sort()).toEqual(['doubled', 'total']);
    expect(third.total.outputs).toEqual({ metrics: { total: 28 } });
  });

  it('fails the run naming the stage where the worker computes another key (other stage code or data)', async () => {
    const { dispatcher } = workerDispatcher(config(5)); // the worker's pipeline differs from the run's
    const error = await run(config(), dispatcher).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(KeyMismatchError);
    expect((error as Error).message).toMatch(
      /stage doubled \(test\.scale\) here has key \w{12}, the run asked for \w{12}: this process's stage versions/,
    );
    expect(runLog).not.toContain('doubled');
  });

  it('a job for an entry that exists computes nothing (a retry after a worker crashed)', async () => {
    const { dispatcher } = workerDispatcher(config());
    const events = await run(config(), dispatcher);
    const end = ends(events).left;
    runLog.length = 0;
    const result = await computeDispatchedStage(
      config(),
      { stageId: 'left', stageType: 'test.numbers', key: end.key, recipeKey: end.key, inputs: {}, force: false },
      { cache, codecs, workDir: dir, signal: new AbortController().signal },
    );
    expect(result.computed).toBe(false);
    expect(runLog).toEqual([]);
  });
});
