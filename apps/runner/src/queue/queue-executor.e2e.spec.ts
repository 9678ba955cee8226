import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CancelledError, type CacheStore, type DispatchedStage, type RunEvent } from '@stagegraph/pipeline';
import { Redis } from 'ioredis';
import { haveRedisServer, RedisServer } from '../test-support/redis-server.js';
import { QueueExecutor } from './queue-executor.js';

// CI installs redis-server (.ci/run), so there a missing one fails; elsewhere these tests skip, saying why.
const haveRedis = haveRedisServer() || process.env.CI === 'true';
if (!haveRedis) console.warn('queue-executor.spec skipped: no redis-server (apt-get install redis-server)');

jest.setTimeout(60_000);
let redis: RedisServer;
let raw: Redis;

/** A stage job no worker takes (none listens in these tests): it stays queued. */
const stage = (key: string): DispatchedStage => ({
  stageId: 'slow',
  stageType: 'queue-test.slow',
  key,
  recipeKey: key,
  inputs: {},
  force: false,
});
const emptyCache = { has: async () => false } as unknown as CacheStore;
const open = (queue: string) =>
  QueueExecutor.open({ redis: redis.url, queue, cache: emptyCache, notice: () => undefined, pollMs: 50 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
/** Until the queue holds the job (BullMQ's key for it), for at most 10 s. */
async function queued(queue: string, key: string) {
  for (let tries = 0; (await raw.exists(`bull:${queue}:${key}`)) === 0; tries++) {
    if (tries > 200) throw new Error(`job ${key} never queued`);
    await sleep(50);
  }
}

beforeAll(async () => {
  if (!haveRedis) return;
  redis = await RedisServer.start();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  raw?.disconnect();
  await redis?.stop();
});

(haveRedis ? describe : describe.skip)('QueueExecutor following its jobs', () => {
  it('says once that it cannot follow a job, and fails the runs waiting for it when that goes on (not a lost connection)', async () => {
    const executor = await open('checks');
    const events: RunEvent[] = [];
    const waiting = executor
      .dispatcherFor({ config: {}, configFile: 'pipeline.json', workDir: '.' })
      .dispatch(stage('k1'), { emit: (event) => events.push(event), signal: new AbortController().signal });
    await queued('checks', 'k1');
    // the queue's set of completed jobs turns into a string: every look at a job's state fails with WRONGTYPE
    await raw.set('bull:checks:completed', 'not a sorted set');
    const outcome = await Promise.race([
      waiting.then(
        () => 'resolved',
        (error: Error) => error.message,
      ),
      sleep(10_000).then(() => 'still waiting after 10 s'),
    ]);
    await executor.close();
    expect(outcome).toMatch(
      /^cannot follow its job on queue "checks": WRONGTYPE Operation against a key holding the wrong kind of value/,
    );
    // said once, not every 2 s (a machine under load may also see the job's state as unknown for a moment, and say so)
    const warnings = events.flatMap((event) =>
      event.type === 'stage-log' && event.message.startsWith('cannot follow')
        ? [`${event.level}: ${event.message}`]
        : [],
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^warn: cannot follow its job on queue "checks": WRONGTYPE .*; trying again$/),
    ]);
  });

  it('forgets the job of a cancelled run instead of keeping it for the life of the executor', async () => {
    const executor = await open('cancels');
    const cancel = new AbortController();
    const waiting = executor
      .dispatcherFor({ config: {}, configFile: 'pipeline.json', workDir: '.' })
      .dispatch(stage('k2'), { emit: () => undefined, signal: cancel.signal });
    await queued('cancels', 'k2');
    cancel.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    // not observable from outside but as memory: the executor's map of jobs it may queue again
    expect((executor as unknown as { jobs: Map<string, unknown> }).jobs.size).toBe(0);
    await executor.close();
  });
});
