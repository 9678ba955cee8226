import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveRedisServer, RedisServer } from '../test-support/redis-server.js';
import { tinyConfig, tinyWorkspace } from '../test-support/tiny-pipeline.js';

// CI installs redis-server (.ci/run), so there a missing one fails; elsewhere the cases that need one skip, saying why.
const haveRedis = haveRedisServer() || process.env.CI === 'true';
if (!haveRedis)
  console.warn('queue-options.spec: the database-number cases skipped: no redis-server (apt-get install redis-server)');

jest.setTimeout(60_000);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'stagegraph.js');
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
let redis: RedisServer | undefined;

/**
 * The built CLI as a process, killed after 20 s: a queue option it takes wrongly leaves it waiting
 * for ever (a killed one has no exit code).
 */
function cli(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ws.dir, timeout: 20_000, killSignal: 'SIGKILL' },
      (_, __, stderr) => resolve({ code: child.exitCode, err: stderr }),
    );
  });
}

/** `run`, `sweep` and `worker` with the queue options given, on the tiny pipeline (with a sweep block for `sweep`). */
const commands: Record<string, (...queueArgs: string[]) => string[]> = {
  run: (...queueArgs) => ['run', 'pipeline.json', '--executor', 'bullmq', ...queueArgs, '--backend', 'cpu'],
  sweep: (...queueArgs) => ['sweep', 'sweep.json', '--executor', 'bullmq', ...queueArgs, '--backend', 'cpu'],
  worker: (...queueArgs) => ['worker', ...queueArgs, '--backend', 'cpu'],
};
const url = () => redis?.url ?? 'redis://127.0.0.1:6379';

beforeAll(async () => {
  ws = await tinyWorkspace();
  const sweep = {
    sweep: {
      method: 'grid',
      params: { 'stages.train.params.units': [2, 3] },
      objective: { metric: 'rmse', goal: 'min' },
    },
  };
  await writeFile(ws.file('sweep.json'), JSON.stringify({ ...tinyConfig('prices.csv'), ...sweep }));
  if (haveRedis) redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.stop();
  await rm(ws.dir, { recursive: true, force: true });
});

describe('the queue options of run, sweep and worker', () => {
  it.each(Object.keys(commands))(
    '%s: a database after the host that is not a number is one line, exit 2, before connecting',
    async (command) => {
      for (const db of ['abc', '0/1', '-1']) {
        const { code, err } = await cli(commands[command]('--redis', `${url()}/${db}`));
        expect({ db, code, err }).toEqual({
          db,
          code: 2,
          err: `error: --redis: expected a database number after the host, such as redis://127.0.0.1:6379/0 (a Redis has 0 to 15 unless configured with more), got "${db}"\n`,
        });
      }
    },
  );

  it.each(Object.keys(commands))(
    '%s: an empty queue name, one with a colon or with control characters is one line, exit 2',
    async (command) => {
      for (const [queue, got] of [
        ['', '""'],
        ['runs:gpu', '"runs:gpu"'],
        ['x\u001b]0;T\u0007\u001b[2J', '"x\\u001b]0;T\\u0007\\u001b[2J"'],
      ]) {
        const { code, err } = await cli(commands[command]('--redis', url(), '--queue', queue));
        expect({ queue, code, err }).toEqual({
          queue,
          code: 2,
          err: `error: --queue: expected a name of 1 to 200 characters without ':' or control characters, got ${got}\n`,
        });
      }
    },
  );

  (haveRedis ? it.each : it.skip.each)(Object.keys(commands))(
    '%s: a database the server does not have is one line, exit 2',
    async (command) => {
      const { code, err } = await cli(commands[command]('--redis', `${url()}/99`));
      expect(code).toBe(2);
      expect(err).toMatch(
        /^error: --redis redis:\/\/127\.0\.0\.1:\d+\/99: the server has no database 99 \(ERR DB index is out of range; a Redis has 0 to 15 unless its "databases" setting says more\)\n$/,
      );
    },
  );

  (haveRedis ? it : it.skip)('takes a database the server has (URL path or ?db=)', async () => {
    // a worker that starts on database 3 is stopped by a SIGTERM as soon as it says so
    for (const redisUrl of [`${url()}/3`, `${url()}?db=3`]) {
      const { code, err } = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [BIN, ...commands.worker('--redis', redisUrl)],
          { cwd: ws.dir, timeout: 20_000, killSignal: 'SIGKILL' },
          (_, __, stderr) => resolve({ code: child.exitCode, err: stderr }),
        );
        child.stdout!.on(
          'data',
          (chunk: Buffer) => chunk.toString().includes('taking stage jobs') && child.kill('SIGTERM'),
        );
      });
      expect({ redisUrl, code, err }).toEqual({ redisUrl, code: 0, err: expect.not.stringMatching(/error/) });
    }
  });
});
