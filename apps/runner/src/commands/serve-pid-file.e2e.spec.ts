import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';

const CLI = fileURLToPath(new URL('../../bin/stagegraph.js', import.meta.url));

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
beforeAll(async () => {
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, digitRun: false });
});
afterAll(() => rm(synthetic.dir, { recursive: true, force: true }));

describe('stagegraph serve --pid-file', () => {
  it('prints its own PID with the URL, writes it to the file, stops on a kill of that PID and removes the file', async () => {
    const pidFile = join(synthetic.dir, 'serve.pid');
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--runs', synthetic.runsDir, '--port', '0', '--backend', 'cpu', '--quiet', '--pid-file', pidFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => (out += d) && /\(pid \d+/.test(out) && resolve(out));
        child.once('exit', () => reject(new Error('serve exited before listening')));
      });
      expect(line).toMatch(new RegExp(`at http://127\\.0\\.0\\.1:\\d+ \\(pid ${child.pid};`));
      const pid = Number((await readFile(pidFile, 'utf8')).trim());
      expect(pid).toBe(child.pid);
      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      await expect(access(pidFile)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a PID file it cannot write: exit 2, one line', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--runs',
        synthetic.runsDir,
        '--port',
        '0',
        '--backend',
        'cpu',
        '--pid-file',
        join(synthetic.dir, 'no', 'such', 'dir', 'x.pid'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/--pid-file .*x\.pid: expected a file it can write/);
  });
});
