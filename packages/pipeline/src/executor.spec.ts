import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY, filter, lastValueFrom, Observable, tap, toArray } from 'rxjs';
import { CacheStore } from './cache-store.js';
import { CodecRegistry, jsonCodec, metricsCodec } from './codec.js';
import { port } from './contract.js';
import { DataError } from './errors.js';
import { defineStage } from './stage-definition.js';
import { StageRegistry } from './stage-registry.js';
import { z } from 'zod';
import type { RunEvent } from './events.js';
import { executePipeline } from './executor.js';
import { activityLog, NUMBER_LIST, runLog, testRegistry } from './test-support/test-stages.js';
import { validateConfig } from './validate-config.js';

const registry = testRegistry();
const codecs = new CodecRegistry();
let dir: string;
let cache: CacheStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-exec-'));
  cache = new CacheStore(join(dir, 'cache'));
  runLog.length = 0;
  activityLog.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const config = (overrides: { factor?: number; label?: string; delayMs?: number } = {}) =>
  validateConfig(
    {
      name: 'p',
      stages: {
        left: { type: 'test.numbers', params: { values: [1, 2, 3], delayMs: overrides.delayMs ?? 0 } },
        right: { type: 'test.numbers', params: { values: [10], delayMs: overrides.delayMs ?? 0 } },
        doubled: { type: 'test.scale', params: { factor: overrides.factor ?? 2 }, inputs: { values: 'left.values' } },
        total: {
          type: 'test.sum',
          params: { label: overrides.label ?? 'total' },
          inputs: { a: 'doubled.values', b: 'right.values' },
        },
      },
    },
    registry,
  );

const run = (pipeline = config(), force = false) =>
  lastValueFrom(executePipeline(pipeline, { codecs, cache, force }).pipe(toArray()));
const ends = (events: RunEvent[]) =>
  Object.fromEntries(events.filter((e) => e.type === 'stage-end').map((e) => [e.stageId, e]));

describe('executePipeline', () => {
  it('runs every stage once, in dependency order, and delivers the result', async () => {
    const events = await run();
    expect(runLog.indexOf('doubled')).toBeGreaterThan(runLog.indexOf('left'));
    expect(runLog.sort()).toEqual(['doubled', 'left', 'right', 'total']);
    const total = ends(events).total as Extract<RunEvent, { type: 'stage-end' }>;
    expect(total.outputs).toEqual({ metrics: { total: 22 } });
    expect(events[0].type).toBe('run-start');
    expect(events.at(-1)!.type).toBe('run-end');
  });

  it('hands a stage its named inputs under the names the config gave them', async () => {
    const pipeline = validateConfig(
      {
        name: 'p',
        stages: {
          three: { type: 'test.numbers', params: { values: [1, 2, 3] } },
          one: { type: 'test.numbers', params: { values: [1] } },
          pick: { type: 'test.longest', inputs: { one: 'one.values', three: 'three.values' } },
        },
      },
      registry,
    );
    const pick = ends(await run(pipeline)).pick as Extract<RunEvent, { type: 'stage-end' }>;
    expect(pick.outputs).toEqual({ metrics: { longest: 'three', inputs: 'one,three' } });
  });

  it('serves a second run from the cache, loading only what is wanted', async () => {
    await run();
    runLog.length = 0;
    const events = await run();
    expect(runLog).toEqual([]);
    const stageEnds = ends(events);
    expect(Object.values(stageEnds).every((e) => e.type === 'stage-end' && e.cached)).toBe(true);
    expect(stageEnds.total).toMatchObject({ loaded: true, outputs: { metrics: { total: 22 } } });
    expect(stageEnds.left).toMatchObject({ loaded: false });
  });

  it('re-runs only the changed stage and what depends on it', async () => {
    await run();
    runLog.length = 0;
    await run(config({ factor: 3 }));
    expect(runLog.sort()).toEqual(['doubled', 'total']);
    runLog.length = 0;
    await run(config({ factor: 3, label: 'sum' }));
    expect(runLog).toEqual(['total']);
  });

  it('stops recomputing where a changed stage gives the same output as before (early cutoff)', async () => {
    await run();
    runLog.length = 0;
    // another delay, the same numbers: the sources run again, and nothing downstream of them does
    const events = await run(config({ delayMs: 1 }));
    expect(runLog.sort()).toEqual(['left', 'right']);
    expect(ends(events).doubled).toMatchObject({ cached: true, loaded: true });
    expect(events.find((e) => e.type === 'stage-log' && e.stageId === 'doubled')).toMatchObject({
      message: expect.stringContaining('inputs unchanged in content'),
    });
    // the cutoff is remembered: the same config again is all cached before anything runs
    runLog.length = 0;
    const again = await run(config({ delayMs: 1 }));
    expect(runLog).toEqual([]);
    expect((again[0] as Extract<RunEvent, { type: 'run-start' }>).stages.every((stage) => stage.cached)).toBe(true);
  });

  it('recomputes everything with force and still stores the results', async () => {
    await run();
    runLog.length = 0;
    await run(config(), true);
    expect(runLog.sort()).toEqual(['doubled', 'left', 'right', 'total']);
  });

  it('reports a corrupt entry, removes it and recomputes', async () => {
    const first = await run();
    const doubledKey = (ends(first).doubled as { key: string }).key;
    await writeFile(join(cache.entryDir(doubledKey), 'values.json'), '[1, 2');
    // make total need doubled again
    runLog.length = 0;
    const events = await run(config({ label: 'again' }));
    expect(runLog.sort()).toEqual(['doubled', 'total']);
    const warning = events.find((e) => e.type === 'stage-log' && e.level === 'warn');
    expect(warning).toMatchObject({
      stageId: 'doubled',
      message: expect.stringContaining('does not match its checksum; removing it and recomputing'),
    });
    expect((await cache.loadEntry(doubledKey, codecs)).outputs.values).toEqual([2, 4, 6]);
  });

  it.each([
    ['a manifest of the wrong shape', '[]', 'manifest.json is not a cache manifest'],
    ['a manifest with a file outside the entry', null, 'expected a path inside the entry'],
    ['a file where the entry folder should be', undefined, 'manifest.json is missing'],
  ])('heals %s: reported, removed, recomputed', async (_what, manifest, message) => {
    const first = await run();
    const doubledKey = (ends(first).doubled as { key: string }).key;
    const manifestFile = join(cache.entryDir(doubledKey), 'manifest.json');
    if (manifest === undefined) {
      await rm(cache.entryDir(doubledKey), { recursive: true });
      await writeFile(cache.entryDir(doubledKey), 'not a folder');
    } else {
      const escaping = JSON.parse(await readFile(manifestFile, 'utf8'));
      escaping.files = { '../../../../etc/hostname': { size: 1, sha256: '0'.repeat(64) } };
      await writeFile(manifestFile, manifest ?? JSON.stringify(escaping));
    }
    runLog.length = 0;
    const events = await run(config({ label: 'again' }));
    expect(runLog.sort()).toEqual(['doubled', 'total']);
    expect(events.find((e) => e.type === 'stage-log' && e.level === 'warn')).toMatchObject({
      stageId: 'doubled',
      message: expect.stringContaining(message),
    });
    expect((await cache.loadEntry(doubledKey, codecs)).outputs.values).toEqual([2, 4, 6]);
  });

  it('runs independent branches concurrently', async () => {
    await run(config({ delayMs: 50 }));
    // both sources start before either ends
    expect(activityLog.slice(0, 2).sort()).toEqual(['left start', 'right start']);
  });

  it('runs one stage at a time with concurrency 1', async () => {
    await lastValueFrom(executePipeline(config({ delayMs: 50 }), { codecs, cache, concurrency: 1 }).pipe(toArray()));
    expect(activityLog).toHaveLength(4);
    expect(activityLog.map((entry) => entry.split(' ')[1])).toEqual(['start', 'end', 'start', 'end']);
  });

  it('stops running stages on unsubscribe and writes no cache entry for them', async () => {
    const events: RunEvent[] = [];
    let bothStarted!: () => void;
    const started = new Promise<void>((resolve) => (bothStarted = resolve));
    const subscription = executePipeline(config({ delayMs: 60_000 }), { codecs, cache }).subscribe((e) => {
      events.push(e);
      if (events.filter((x) => x.type === 'stage-start').length === 2) bothStarted();
    });
    await started;
    subscription.unsubscribe();
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      events
        .filter((e) => e.type === 'stage-start')
        .map((e) => (e as { stageId: string }).stageId)
        .sort(),
    ).toEqual(['left', 'right']);
    expect(events.some((e) => e.type === 'stage-end')).toBe(false);
    expect(await readdir(join(dir, 'cache', 'entries')).catch(() => [])).toEqual([]);
  });

  it('fails the run with the stage error and emits stage-error', async () => {
    const bad = validateConfig(
      {
        name: 'p',
        stages: { a: { type: 'test.numbers' }, s: { type: 'test.sum', inputs: { a: 'a.values', b: 'a.values' } } },
      },
      registry,
    );
    const events: RunEvent[] = [];
    const brokenCodecs = new CodecRegistry([
      { kind: 'json', save: async () => [], load: async () => [] },
      {
        kind: 'metrics',
        save: async () => {
          throw new Error('disk full');
        },
        load: async () => ({}),
      },
    ]);
    await expect(
      lastValueFrom(executePipeline(bad, { codecs: brokenCodecs, cache }).pipe(filter((e) => (events.push(e), true)))),
    ).rejects.toThrow('disk full');
    expect(events.find((e) => e.type === 'stage-error')).toMatchObject({ stageId: 's', message: 'disk full' });
    // nothing half-written: no entry for the failed stage, no temp folder left
    const failedRecipe = (
      events.find((e) => e.type === 'run-start') as { stages: { id: string; recipeKey: string }[] }
    ).stages.find((st) => st.id === 's')!.recipeKey;
    expect(await cache.recipe(failedRecipe)).toBeUndefined();
    expect((await cache.list()).map((entry) => entry.manifest?.stageId)).toEqual(['a']);
    expect(await readdir(join(dir, 'cache', 'tmp'))).toEqual([]);
  });

  it('releases an output once every stage that reads it has finished, and wanted outputs at the end', async () => {
    const log: string[] = [];
    const recording = new CodecRegistry([
      { ...jsonCodec, dispose: (value: unknown) => void log.push(`dispose ${JSON.stringify(value)}`) },
      { ...metricsCodec, dispose: (value: unknown) => void log.push(`dispose ${JSON.stringify(value)}`) },
    ]);
    await lastValueFrom(
      executePipeline(config(), { codecs: recording, cache, concurrency: 1 }).pipe(
        tap((e) => log.push(`${e.type} ${'stageId' in e ? e.stageId : ''}`.trim())),
      ),
    );
    const at = (entry: string) => (log.includes(entry) ? log.indexOf(entry) : Infinity);
    // left is read by doubled only: gone before total starts; doubled and right go once total ends
    expect(at('dispose [1,2,3]')).toBeGreaterThan(at('stage-end doubled'));
    expect(at('dispose [1,2,3]')).toBeLessThan(at('stage-start total'));
    expect(at('dispose [2,4,6]')).toBeGreaterThan(at('stage-end total'));
    expect(at('dispose [10]')).toBeLessThan(at('run-end'));
    // total is what the caller wants: it lives until the run is over
    expect(at('dispose {"total":22}')).toBeGreaterThan(at('run-end'));
    expect(log.filter((entry) => entry.startsWith('dispose'))).toHaveLength(4);
  });

  it('disposes a value handed through by a stage once, when its last holder lets go', async () => {
    const disposed: unknown[] = [];
    const recording = new CodecRegistry([
      { ...jsonCodec, dispose: (value: unknown) => void disposed.push(value) },
      metricsCodec,
    ]);
    const pipeline = validateConfig(
      {
        name: 'p',
        stages: {
          source: { type: 'test.numbers' },
          same: { type: 'test.pass-through', inputs: { values: 'source.values' } },
          total: { type: 'test.sum', inputs: { a: 'same.values' } },
        },
      },
      registry,
    );
    const events = await lastValueFrom(
      executePipeline(pipeline, { codecs: recording, cache, concurrency: 1 }).pipe(toArray()),
    );
    const sourceValues = (ends(events).source as { outputs?: Record<string, unknown> }).outputs?.values;
    expect(disposed).toEqual([sourceValues]); // not when `same` finished, while `total` still read it
  });

  it('fails a stage whose output breaks its port contract, naming the stage and the port', async () => {
    const liar = defineStage({
      type: 'test.liar',
      version: 1,
      description: 'Promises numbers, gives a string.',
      params: z.strictObject({}),
      inputs: {},
      outputs: { values: port(NUMBER_LIST) },
      // @ts-expect-error the port's type says numbers: only a plugin in plain JavaScript could give this, and the engine's check catches it
      run: async () => ({ values: 'not numbers' }),
    });
    const pipeline = validateConfig({ name: 'p', stages: { liar: { type: 'test.liar' } } }, new StageRegistry([liar]));
    await expect(lastValueFrom(executePipeline(pipeline, { codecs, cache }))).rejects.toThrow(
      'stage liar (test.liar), output values (list of numbers): expected an array of numbers, got string',
    );
    expect(await cache.list()).toEqual([]);
  });

  describe('a stage that breaks the rules of run', () => {
    /** A one-stage pipeline whose run is `run`. */
    const misbehaving = (run: () => unknown) =>
      validateConfig(
        { name: 'p', stages: { odd: { type: 'test.odd' } } },
        new StageRegistry([
          defineStage({
            type: 'test.odd',
            version: 1,
            description: 'Misbehaves.',
            params: z.strictObject({}),
            inputs: {},
            outputs: { values: port(NUMBER_LIST) },
            run: run as never,
          }),
        ]),
      );
    const failure = async (run: () => unknown) => {
      const events: RunEvent[] = [];
      const error = await lastValueFrom(
        executePipeline(misbehaving(run), { codecs, cache }).pipe(tap((e) => events.push(e))),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      return { error, events };
    };

    it.each([
      ['null', null, 'stage odd (test.odd) failed: it threw null, not an Error'],
      ['undefined', undefined, 'stage odd (test.odd) failed: it threw undefined, not an Error'],
      ['a string', 'out of paper', 'stage odd (test.odd) failed: out of paper (it threw a string, not an Error)'],
      ['a number', 42, 'stage odd (test.odd) failed: it threw 42, not an Error'],
      [
        'an object without message',
        { code: 7 },
        'stage odd (test.odd) failed: it threw an object with code, not an Error',
      ],
      [
        'an object with a message',
        { message: 'jammed' },
        'stage odd (test.odd) failed: jammed (it threw an object, not an Error)',
      ],
      [
        'an Error without message',
        new RangeError(),
        'stage odd (test.odd) failed: it threw a RangeError without a message',
      ],
      ['an Error', new Error('boom'), 'stage odd (test.odd) failed: boom'],
      [
        'a TypeError',
        new TypeError("Cannot read properties of null (reading 'x')"),
        "stage odd (test.odd) failed: Cannot read properties of null (reading 'x')",
      ],
      [
        'a user error',
        new DataError('prices.csv: expected numbers'),
        'stages.odd (test.odd): prices.csv: expected numbers',
      ],
    ])('throwing %s fails the run with one line naming the stage', async (_what, thrown, message) => {
      const { error, events } = await failure(async () => {
        throw thrown;
      });
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(message);
      expect(events.find((e) => e.type === 'stage-error')).toEqual({ type: 'stage-error', stageId: 'odd', message });
    });

    it('fails a run that completes without emitting, naming the stage', async () => {
      const { error, events } = await failure(() => EMPTY);
      expect((error as Error)?.message).toBe('stage odd (test.odd): its run completed without producing outputs');
      expect(events.some((e) => e.type === 'stage-end' || e.type === 'run-end')).toBe(false);
    });

    it('is cancelled cleanly when its Observable’s teardown throws', async () => {
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const throwingTeardown = () =>
        new Observable(() => () => {
          throw new Error('teardown failed');
        });
      const subscription = executePipeline(misbehaving(throwingTeardown), { codecs, cache }).subscribe(
        (e) => e.type === 'stage-start' && started(),
      );
      await running;
      expect(() => subscription.unsubscribe()).not.toThrow();
    });

    it('takes outputs returned without a promise as a promise’s', async () => {
      const { error, events } = await failure(() => ({ values: [1, 2] }));
      expect(error).toBeUndefined();
      expect(events.find((e) => e.type === 'stage-end')).toMatchObject({ stageId: 'odd', outputs: { values: [1, 2] } });
    });
  });

  it('emits the plan with every key first', async () => {
    // the whole run, not take(1): a run left going in the background would race afterEach's cleanup
    const [start] = await lastValueFrom(executePipeline(config(), { codecs, cache }).pipe(toArray()));
    expect(start).toMatchObject({ type: 'run-start', pipeline: 'p' });
    expect((start as { stages: unknown[] }).stages).toHaveLength(4);
  });
});
