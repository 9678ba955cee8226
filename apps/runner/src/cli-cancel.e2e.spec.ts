import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyWorkspace } from './test-support/tiny-pipeline.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'stagegraph.js');
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
beforeAll(async () => (ws = await tinyWorkspace(400)));
afterAll(() => rm(ws.dir, { recursive: true, force: true }));

describe('Ctrl-C or SIGTERM during training', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: stops within seconds, says where, keeps finished stages cached and writes no partial results',
    async (signal) => {
      await rm(ws.dir, { recursive: true, force: true });
      ws = await tinyWorkspace(400);
      const child = spawn(
        process.execPath,
        [
          bin,
          'run',
          'pipeline.json',
          '--backend',
          'cpu',
          '--json',
          '--set',
          'stages.train.params.epochs=500',
          '--set',
          'stages.train.params.patience=0',
        ],
        { cwd: ws.dir },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      let signalledAt = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        if (!signalledAt && chunk.toString().includes('"epoch":2')) {
          signalledAt = Date.now();
          child.kill(signal);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(130);
      expect(Date.now() - signalledAt).toBeLessThan(5000);
      expect(stderr).toMatch(
        /^stagegraph: cancelled during stage train at epoch \d+\/500, batch \d+\/\d+; finished stages are cached and the next run resumes from them\n$/,
      );
      expect((await readdir(join(ws.dir, 'runs'))).length).toBe(0);
      const cached = spawnSync(process.execPath, [bin, 'cache', 'ls'], { cwd: ws.dir, encoding: 'utf8' }).stdout;
      expect(cached).toContain('preprocess.windows');
      expect(cached).not.toContain('models-lstm.train');

      const resumed = spawnSync(
        process.execPath,
        [bin, 'run', 'pipeline.json', '--backend', 'cpu', '--set', 'stages.train.params.epochs=1'],
        { cwd: ws.dir, encoding: 'utf8' },
      );
      expect(resumed.status).toBe(0);
      expect(resumed.stdout).toContain('run tiny-stock: 11 stages, 4 cached');
    },
  );
});

describe('kill -9 mid-run', () => {
  it('leaves nothing that the next run trips over: it completes and the cache holds no broken entry', async () => {
    const killed = await mkdtempWorkspace();
    const child = spawn(
      process.execPath,
      [
        bin,
        'run',
        'pipeline.json',
        '--backend',
        'cpu',
        '--json',
        '--set',
        'stages.train.params.epochs=200',
        '--set',
        'stages.train.params.patience=0',
      ],
      { cwd: killed.dir },
    );
    let ends = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      ends += (chunk.toString().match(/"type":"stage-end"/g) ?? []).length;
      if (ends >= 3) child.kill('SIGKILL'); // while later stages compute and write
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const again = spawnSync(
      process.execPath,
      [bin, 'run', 'pipeline.json', '--backend', 'cpu', '--set', 'stages.train.params.epochs=1'],
      { cwd: killed.dir, encoding: 'utf8' },
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/run tiny-stock: 11 stages, [3-9] cached/);
    expect(
      spawnSync(process.execPath, [bin, 'cache', 'ls'], { cwd: killed.dir, encoding: 'utf8' }).stdout,
    ).not.toContain('corrupt');
    expect((await readdir(join(killed.dir, 'runs'))).filter((name) => name.startsWith('.tmp-'))).toEqual([]); // the killed run's temp folder is swept
    await rm(killed.dir, { recursive: true, force: true });
  });
});

const mkdtempWorkspace = () => tinyWorkspace(300);
