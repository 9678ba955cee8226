import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyWorkspace } from './test-support/tiny-pipeline.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'stagegraph.js');
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
beforeAll(async () => (ws = await tinyWorkspace(300)));
afterAll(() => rm(ws.dir, { recursive: true, force: true }));

const runInBackground = () =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, 'run', 'pipeline.json', '--backend', 'cpu', '--json', '--set', 'stages.train.params.epochs=3'],
      { cwd: ws.dir },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => resolve({ code, out }));
  });

describe('two runs of one pipeline at once', () => {
  it('both finish with the same metrics and leave one loadable cache entry per stage', async () => {
    const [a, b] = await Promise.all([runInBackground(), runInBackground()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const metricsOf = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!).metrics;
    expect(metricsOf(a.out)).toEqual(metricsOf(b.out));
    const listing = spawnSync(process.execPath, [bin, 'cache', 'ls'], { cwd: ws.dir, encoding: 'utf8' }).stdout;
    expect(listing).not.toContain('corrupt');
    expect(listing).toMatch(/^11 entries, /m);
    expect(await readdir(join(ws.dir, '.stagegraph', 'cache', 'tmp'))).toEqual([]);
    // and a third run is served whole from that cache
    const third = await runInBackground();
    const stageEnds = third.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'stage-end');
    expect(stageEnds.every((e: { cached: boolean }) => e.cached)).toBe(true);
    const runs = (await readdir(join(ws.dir, 'runs'))).filter((name) => !name.startsWith('.'));
    expect(runs.length).toBe(3);
    for (const run of runs)
      expect(JSON.parse(await readFile(join(ws.dir, 'runs', run, 'metrics.json'), 'utf8'))).toEqual(metricsOf(a.out));
  });
});
