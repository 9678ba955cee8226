import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyConfig, tinyWorkspace } from '../test-support/tiny-pipeline.js';

jest.setTimeout(120_000);
const bin = fileURLToPath(new URL('../../bin/stagegraph.js', import.meta.url));
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
const objective = { metric: 'rmse', goal: 'min' };

beforeAll(async () => {
  ws = await tinyWorkspace();
  const sweep = { method: 'grid', params: { 'stages.train.params.units': [2, 3, 4, 5] }, objective };
  await writeFile(ws.file('grid.json'), JSON.stringify({ ...tinyConfig('prices.csv', 3), sweep }));
  // trials that train for many seconds each, so that two are surely running when the signal comes
  const slow = tinyConfig('prices.csv', 400);
  slow.stages.train.params.patience = 0;
  await writeFile(ws.file('slow.json'), JSON.stringify({ ...slow, sweep }));
});
afterAll(() => rm(ws.dir, { recursive: true, force: true }));

/**
 * Runs `stagegraph sweep grid.json --json` and sends SIGINT to the sweep process alone (not its
 * workers) when a line of stdout matches `when`; resolves with the exit code, stderr and sweep.json.
 */
async function cancelSweep(extra: string[], when: RegExp, out: string, config = 'grid.json') {
  const child = spawn(process.execPath, [bin, 'sweep', config, '--json', '--backend', 'cpu', '--out', out, ...extra], {
    cwd: ws.dir,
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (!sent && when.test(stdout)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal as unknown as number))),
  );
  const [id] = await readdir(join(ws.dir, out, 'sweeps'));
  const record = JSON.parse(await readFile(join(ws.dir, out, 'sweeps', id, 'sweep.json'), 'utf8'));
  const temp = (await readdir(join(ws.dir, out))).filter((n) => n.startsWith('.tmp-'));
  return { code, stderr, record, temp, sent };
}

describe('Ctrl-C during a sweep', () => {
  it('in this process, once a trial has ended: exit 130, sweep.json cancelled, nothing half-written', async () => {
    const { code, stderr, record, temp, sent } = await cancelSweep([], /"type":"trial-end"/, 'runs-serial');
    expect(sent).toBe(true);
    expect([code, record.status, temp]).toEqual([130, 'cancelled', []]);
    expect(stderr).toMatch(/^stagegraph: cancelled during (the sweep, before trial \d|stage \w+.*); /m);
    expect(record.trials.filter((t: { status: string }) => t.status === 'completed').length).toBeGreaterThanOrEqual(1);
  });

  it('with --jobs 2, sent to the sweep alone while its workers still start: exit 130, sweep.json cancelled, no crash', async () => {
    const { code, stderr, record, temp } = await cancelSweep(['--jobs', '2'], /"type":"sweep-start"/, 'runs-jobs');
    expect([code, record.status, temp]).toEqual([130, 'cancelled', []]);
    expect(stderr).not.toMatch(/ERR_IPC|Error \[|\n\s+at /);
    expect(stderr).toMatch(/^stagegraph: cancelled during /m);
  });

  it('with --jobs 2, while two trials run in workers: they end cancelled, the one waiting never starts', async () => {
    const { code, record, temp } = await cancelSweep(
      ['--jobs', '2'],
      /"type":"trial-start","trial":2/,
      'runs-jobs-running',
      'slow.json',
    );
    expect([code, record.status, temp]).toEqual([130, 'cancelled', []]);
    const statuses = record.trials.map((t: { status: string }) => t.status);
    expect(statuses[0]).toBe('completed'); // the first trial runs alone, before the others start
    expect(statuses.slice(1, 3)).toEqual(['cancelled', 'cancelled']);
    expect(statuses).not.toContain('failed');
    expect(['pending', 'cancelled']).toContain(statuses[3]); // queued for a worker when the signal came
    expect(record.trials[3].runs).toEqual([]);
    const runFolders = (await readdir(join(ws.dir, 'runs-jobs-running'))).filter((n) => n.startsWith('tiny-stock-'));
    expect(runFolders).toHaveLength(statuses.filter((s: string) => s === 'completed').length);
  });
});
