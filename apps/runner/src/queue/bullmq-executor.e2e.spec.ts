import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../main.js';
import { haveRedisServer, RedisServer } from '../test-support/redis-server.js';
import { captureOutput, tinyConfig } from '../test-support/tiny-pipeline.js';

// CI installs redis-server (.ci/run), so there a missing one fails; elsewhere these tests skip, saying why.
const haveRedis = haveRedisServer() || process.env.CI === 'true';
if (!haveRedis) console.warn('bullmq-executor.spec skipped: no redis-server (apt-get install redis-server)');

jest.setTimeout(120_000);
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(appDir, 'bin', 'stagegraph.js');
// the slow stage's plugin imports @stagegraph/pipeline and zod, so the workspace lives inside the repo where those resolve
const ws = join(appDir, 'test-output', `queue-${process.pid}`);
const cwd = process.cwd();
let redis: RedisServer;
const workers = new Set<ChildProcess>();

/** A plugin stage that waits `ms` (reporting progress), noting each start in `log`, then passes the series on, or fails when told. */
const SLOW_PLUGIN = `
import { appendFileSync } from 'node:fs';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
export const stages = [defineStage({
  type: 'queue-test.slow',
  version: 1,
  description: 'Waits, then hands the series on.',
  params: z.strictObject({ ms: z.number(), log: z.string(), fail: z.boolean().default(false) }),
  inputs: { series: port(SERIES) },
  outputs: { series: port(SERIES) },
  async run(inputs, params, ctx) {
    appendFileSync(params.log, process.pid + '\\n');
    if (params.fail) throw new DataError('series: told to fail');
    for (let i = 1; i <= params.ms / 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ctx.progress({ epoch: i, epochs: params.ms / 100 });
    }
    return { series: inputs.series };
  },
})];
`;

/** The tiny stock pipeline with the slow stage between loading and splitting. */
async function writeConfig(name: string, slow: { ms: number; fail?: boolean }, extra: Record<string, unknown> = {}) {
  const config = tinyConfig('prices.csv') as Record<string, unknown> & {
    stages: Record<string, { inputs?: Record<string, string> }>;
  };
  config.stages = {
    ...config.stages,
    slow: {
      type: 'queue-test.slow',
      params: { ...slow, log: join(ws, `${name}.starts`) },
      inputs: { series: 'load.series' },
    },
  } as typeof config.stages;
  config.stages.split.inputs = { series: 'slow.series' };
  await writeFile(join(ws, `${name}.json`), JSON.stringify({ ...config, plugins: ['./slow.mjs'], ...extra }));
  return `${name}.json`;
}
const starts = async (name: string) =>
  (await readFile(join(ws, `${name}.starts`), 'utf8').catch(() => '')).split('\n').filter(Boolean);

/** A `stagegraph worker` process on the test's queue, once it takes jobs. */
async function startWorker(queue: string, lockSeconds = 4): Promise<ChildProcess & { log: () => string }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--redis',
      redis.url,
      '--queue',
      queue,
      '--backend',
      'cpu',
      '--cache-dir',
      `cache-${queue}`,
      '--lock-duration',
      String(lockSeconds),
    ],
    {
      cwd: ws,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  workers.add(child);
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (log.includes('taking stage jobs')) resolve();
      else if (child.exitCode !== null) reject(new Error(`worker exited: ${log}`));
      else return;
      clearInterval(check);
    }, 50);
  });
  return Object.assign(child, { log: () => log });
}

/** The CLI in this process; `during` sees its output as it grows. */
async function cli(args: string[], during?: (out: () => string) => Promise<void>) {
  const output = captureOutput();
  const running = main([...args, '--backend', 'cpu'], output);
  await during?.(() => output.stdout() + output.stderr());
  const code = await running;
  return { code, out: output.stdout(), err: output.stderr() };
}
// each test's queue has a cache of its own, shared by its workers and its runs
const onQueue = (queue: string, ...more: string[]) => [
  '--executor',
  'bullmq',
  '--redis',
  redis.url,
  '--queue',
  queue,
  '--cache-dir',
  `cache-${queue}`,
  ...more,
];
const until = async (test: () => boolean) => {
  while (!test()) await new Promise((r) => setTimeout(r, 50));
};
/** The worker's exit code once it exits, or 'still running' after `ms`. */
const exitWithin = (worker: ChildProcess, ms: number) =>
  new Promise<number | null | 'still running'>((resolve) => {
    if (worker.exitCode !== null) return resolve(worker.exitCode);
    const timer = setTimeout(() => resolve('still running'), ms);
    worker.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
const metricsOf = async (out: string) =>
  JSON.parse(await readFile(join(/output: (\S+)/.exec(out)![1], 'metrics.json'), 'utf8'));

beforeAll(async () => {
  if (!haveRedis) return;
  await selectBackend('cpu');
  redis = await RedisServer.start();
  await mkdir(join(ws, 'runs'), { recursive: true });
  const lines = [
    'Date,Open,Close',
    ...Array.from(
      { length: 160 },
      (_, i) =>
        `${new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10)},0,${(100 + i * 0.5 + 5 * Math.sin(i / 5)).toFixed(3)}`,
    ),
  ];
  await writeFile(join(ws, 'prices.csv'), lines.join('\n') + '\n');
  await writeFile(join(ws, 'slow.mjs'), SLOW_PLUGIN);
  process.chdir(ws);
});
afterEach(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  workers.clear();
});
afterAll(async () => {
  process.chdir(cwd);
  await redis?.stop();
  await rm(ws, { recursive: true, force: true });
});

(haveRedis ? describe : describe.skip)(
  'stagegraph run and sweep --executor bullmq, with stagegraph worker processes',
  () => {
    it('computes every stage on a worker, with the results of a local run; a second run queues nothing', async () => {
      await startWorker('q1');
      const config = await writeConfig('plain', { ms: 200 });
      const remote = await cli(['run', config, ...onQueue('q1')]);
      expect(remote.code).toBe(0);
      expect(remote.out.match(/^\w+: on worker \S+:\d+$/gm)).toHaveLength(12);
      expect(remote.out).toMatch(/12 stages computed, 0 from cache/);
      const local = await cli(['run', config, '--cache-dir', 'local-cache']);
      expect(local.code).toBe(0);
      expect(await metricsOf(remote.out)).toEqual(await metricsOf(local.out));

      const again = await cli(['run', config, ...onQueue('q1')]);
      expect(again.out).toMatch(/0 stages computed, 12 from cache/);
      expect(again.out).not.toMatch(/on worker/);
    });

    it('says so when no worker listens, and runs once one starts', async () => {
      const config = await writeConfig('late', { ms: 100 });
      const result = await cli(['run', config, ...onQueue('q2')], async (out) => {
        await until(() => out().includes('no worker takes jobs'));
        await startWorker('q2');
      });
      expect(result.code).toBe(0);
      expect(result.err).toMatch(
        /^no worker takes jobs from queue "q2" at redis:\/\/127\.0\.0\.1:\d+ yet: stages wait until one starts/m,
      );
    });

    it("runs a sweep's trials on two workers, the stages they share once", async () => {
      await Promise.all([startWorker('q3'), startWorker('q3')]);
      const config = await writeConfig(
        'sweep',
        { ms: 300 },
        {
          sweep: {
            method: 'grid',
            params: { 'stages.train.params.units': [2, 3, 4] },
            objective: { metric: 'rmse', goal: 'min' },
          },
        },
      );
      const result = await cli(['sweep', config, ...onQueue('q3')]);
      expect(result.code).toBe(0);
      const runs = Object.fromEntries(
        [.../stage runs: (.*)$/m.exec(result.out)![1].matchAll(/(\w+) (\d+)/g)].map(([, stage, n]) => [
          stage,
          Number(n),
        ]),
      );
      expect(runs).toMatchObject({ load: 1, slow: 1, split: 1, scale: 1, windows: 1, train: 3 });
      expect(await starts('sweep')).toHaveLength(1);
    });

    it('queues a dozen trials at once without a listener-leak warning (the CLI as a process: jest lifts the limit)', async () => {
      await startWorker('q9');
      const units = Array.from({ length: 12 }, (_, i) => i + 2);
      const config = await writeConfig(
        'dozen',
        { ms: 100 },
        {
          sweep: {
            method: 'grid',
            params: { 'stages.train.params.units': units },
            objective: { metric: 'rmse', goal: 'min' },
          },
        },
      );
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [BIN, 'sweep', config, ...onQueue('q9'), '--quiet', '--backend', 'cpu'],
        { cwd: ws },
      );
      expect(stdout.match(/ completed /g)).toHaveLength(12);
      expect(stderr).not.toMatch(/MaxListenersExceededWarning/);
    });

    it('fails a run whose stage throws with the stage named, exit 2; the queue goes on', async () => {
      await startWorker('q4');
      const failing = await cli(['run', await writeConfig('failing', { ms: 100, fail: true }), ...onQueue('q4')]);
      expect(failing.code).toBe(2);
      expect(failing.err).toMatch(/^error: stages\.slow \(queue-test\.slow\): series: told to fail$/m);
      expect(await readdir('runs')).not.toContainEqual(expect.stringMatching(/^tiny-stock-.*\.tmp/));
      // the failed job does not stand in for a retry, and the next run's stages still run
      const retried = await cli(['run', 'failing.json', ...onQueue('q4')]);
      expect(retried.code).toBe(2);
      expect(await starts('failing')).toHaveLength(2);
      const fine = await cli(['run', await writeConfig('after-failure', { ms: 100 }), ...onQueue('q4')]);
      expect(fine.code).toBe(0);
    });

    it("loads a plugin again for a worker's next job after it failed to load there", async () => {
      await writeFile(join(ws, 'late.mjs'), SLOW_PLUGIN);
      const config = await writeConfig('late-plugin', { ms: 100 }, { plugins: ['./late.mjs'] });
      const missing = await cli(['run', config, ...onQueue('q10')], async (out) => {
        await until(() => out().includes('no worker takes jobs')); // the run has loaded the plugin; the worker will not find it
        await rm(join(ws, 'late.mjs'));
        await startWorker('q10');
      });
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(
        /plugins\[0\] "\.\/late\.mjs": expected a module file or an installed package, got nothing at that name/,
      );
      await writeFile(join(ws, 'late.mjs'), SLOW_PLUGIN); // copied over at last
      const found = await cli(['run', config, ...onQueue('q10')]);
      expect(found.err).toBe('');
      expect(found.code).toBe(0);
    });

    it('stops a worker on SIGTERM once the stage in hand is done, exit 0', async () => {
      const worker = await startWorker('q8');
      const result = cli(['run', await writeConfig('sigterm', { ms: 1000 }), ...onQueue('q8')], async (out) => {
        await until(() => /^slow: on worker/m.test(out()));
        worker.kill('SIGTERM');
      });
      const code = await new Promise((resolve) => worker.once('exit', resolve));
      expect(code).toBe(0);
      expect(worker.log()).toMatch(/slow \(queue-test\.slow\) \w+: done in [\d.]+ s\n(.|\n)*stopped\n$/);
      await startWorker('q8'); // the rest of the run
      expect((await result).code).toBe(0);
    });

    it('finishes a run whose worker is killed with -9 mid-stage: another worker takes the stalled job', async () => {
      const [a, b] = await Promise.all([startWorker('q5'), startWorker('q5')]);
      const config = await writeConfig('killed', { ms: 2500 });
      const result = await cli(['run', config, ...onQueue('q5')], async (out) => {
        await until(() => /^slow: on worker \S+:(\d+)$/m.test(out()));
        const pid = Number(/^slow: on worker \S+:(\d+)$/m.exec(out())![1]);
        const victim = [a, b].find((w) => w.pid === pid)!;
        await until(() => /^slow: epoch [3-9]/m.test(out()));
        victim.kill('SIGKILL');
      });
      expect(result.code).toBe(0);
      expect(result.out).toMatch(
        /^slow: warning: its worker stopped answering \(killed or hung\); the job goes back to the queue/m,
      );
      expect(result.out).toMatch(/^slow: on worker \S+ \(attempt 2\)$/m);
      const pids = await starts('killed');
      expect(pids).toHaveLength(2); // the one stage run twice
      expect(new Set(pids).size).toBe(2);
    });

    it('says when Redis restarts mid-run, and finishes the run', async () => {
      await startWorker('q6');
      const config = await writeConfig('restart', { ms: 2000 });
      const result = await cli(['run', config, ...onQueue('q6')], async (out) => {
        await until(() => /^slow: on worker/m.test(out()));
        await redis.stop();
        await new Promise((r) => setTimeout(r, 500));
        await redis.restart(); // empty: this Redis keeps nothing on disk
      });
      expect(result.code).toBe(0);
      expect(result.err).toMatch(
        /^redis at redis:\/\/127\.0\.0\.1:\d+: connection lost \(\w+\); reconnecting, for up to 60 s$/m,
      );
      expect(result.err).toMatch(/^redis at redis:\/\/127\.0\.0\.1:\d+: reconnected after [\d.]+ s$/m);
    });

    it('fails in one line when Redis stays away past --redis-timeout, leaving no run folder', async () => {
      await startWorker('q7');
      const config = await writeConfig('gone', { ms: 2000 });
      const before = await readdir('runs');
      const result = await cli(['run', config, ...onQueue('q7', '--redis-timeout', '2')], async (out) => {
        await until(() => /^slow: on worker/m.test(out()));
        await redis.stop();
      });
      await redis.restart();
      expect(result.code).toBe(1);
      expect(result.err).toMatch(
        /^error: redis at redis:\/\/127\.0\.0\.1:\d+ unreachable for 2 s: stopping; finished stages are cached$/m,
      );
      expect(await readdir('runs')).toEqual(before);
    });
  },
);

(haveRedis ? describe : describe.skip)('stagegraph worker stopped by a signal', () => {
  it('stops on SIGTERM while Redis is down, within the lock duration, exit 0 (no stage in hand)', async () => {
    const worker = await startWorker('s1', 3);
    await redis.stop();
    await until(() => worker.log().includes('connection lost'));
    await new Promise((r) => setTimeout(r, 1500)); // gone for a while: BullMQ's clients are between reconnects, not on a closing socket
    worker.kill('SIGTERM');
    const code = await exitWithin(worker, 3_000); // the bin exits once the worker stops: BullMQ's last long poll (up to 6 s) does not hold it
    await redis.restart();
    expect(code).toBe(0);
    expect(worker.log()).toMatch(/^stopping \(Ctrl-C again to stop now\)\nworker \S+: stopped\n$/m);
  });

  it('stops on SIGTERM while Redis is down with a stage in hand once the lock duration is over, exit 130, naming the stage', async () => {
    const worker = await startWorker('s2', 3);
    const run = cli(
      ['run', await writeConfig('sigterm-no-redis', { ms: 60_000 }), ...onQueue('s2', '--redis-timeout', '1')],
      async (out) => {
        await until(() => /^slow: on worker/m.test(out()));
        await redis.stop();
        worker.kill('SIGTERM');
      },
    );
    const code = await exitWithin(worker, 20_000); // the stage would take a minute
    await run;
    await redis.restart();
    expect(code).toBe(130);
    expect(worker.log()).toMatch(
      /^worker \S+: stopped without finishing stage slow \(queue-test\.slow\) \w+ \(redis at redis:\/\/127\.0\.0\.1:\d+ away for 3 s while stopping\); it goes back to the queue when its lock runs out\n$/m,
    );
  });

  it('stops at once on a second Ctrl-C while Redis is down, exit 130', async () => {
    const worker = await startWorker('s3', 600); // only the second Ctrl-C can end it this side of ten minutes
    const run = cli(
      ['run', await writeConfig('twice-no-redis', { ms: 60_000 }), ...onQueue('s3', '--redis-timeout', '1')],
      async (out) => {
        await until(() => /^slow: on worker/m.test(out()));
        await redis.stop();
        worker.kill('SIGINT');
        await until(() => worker.log().includes('Ctrl-C again'));
        worker.kill('SIGINT');
      },
    );
    const code = await exitWithin(worker, 10_000);
    await run;
    await redis.restart();
    expect(code).toBe(130);
    expect(worker.log()).toMatch(
      /^stopping now\nworker \S+: stopped without finishing stage slow \(queue-test\.slow\) \w+; it goes back to the queue/m,
    );
  });

  it('hands the stage back to the queue on a second Ctrl-C (Redis up): another worker computes it and the run completes', async () => {
    const first = await startWorker('s4', 2);
    const config = await writeConfig('twice', { ms: 1500 });
    const result = await cli(['run', config, ...onQueue('s4')], async (out) => {
      await until(() => /^slow: on worker/m.test(out()));
      first.kill('SIGINT');
      await until(() => first.log().includes('Ctrl-C again'));
      first.kill('SIGINT');
      expect(await exitWithin(first, 10_000)).toBe(130);
      await startWorker('s4', 2);
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^slow: on worker \S+ \(attempt 2\)$/m);
    expect(await starts('twice')).toHaveLength(2);
  });
});
