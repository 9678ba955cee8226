import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '@stagegraph/core-tensor';
import { main } from '../main.js';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { captureOutput } from '../test-support/tiny-pipeline.js';

jest.setTimeout(60_000);

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
const runs = async (...args: string[]) => {
  const output = captureOutput();
  const code = await main(['runs', ...args, '--out', synthetic.runsDir], output);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
};
/** Raw JavaScript messages and terminal escapes: neither may reach the user. */
const RAW = /Cannot read properties|is not a function|is not iterable|undefined \(reading|\x1b/;

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 2 });
  const [good] = synthetic.forecastRuns;
  const base = JSON.parse(readFileSync(join(synthetic.runsDir, good, 'run.json'), 'utf8'));
  const corrupt: Record<string, [string, string]> = {
    'bad-null': ['run.json', 'null'],
    'bad-started': ['run.json', JSON.stringify({ ...base, startedAt: 5 })],
    'bad-git': ['run.json', JSON.stringify({ ...base, git: { commit: 5, dirty: false } })],
    'bad-metrics': ['metrics.json', 'null'],
  };
  for (const [id, [file, text]] of Object.entries(corrupt)) {
    await cp(join(synthetic.runsDir, good), join(synthetic.runsDir, id), { recursive: true });
    await writeFile(join(synthetic.runsDir, id, file), text);
  }
  // a run whose metric names and strings carry terminal escapes, and a sweep that is not one
  await cp(join(synthetic.runsDir, good), join(synthetic.runsDir, 'escapes'), { recursive: true });
  await writeFile(join(synthetic.runsDir, 'escapes', 'metrics.json'), JSON.stringify({ 'rmse\x1b[2J': 1, rmse: 2 }));
  await writeFile(join(synthetic.runsDir, 'escapes', 'run.json'), JSON.stringify({ ...base, pipeline: 'x\x1b]0;title\x07', backend: 'cpu\x1b[31m', startedAt: '2027-01-01T00:00:00.000Z' }));
  // metric names that are Object.prototype's: data, not functions
  await cp(join(synthetic.runsDir, good), join(synthetic.runsDir, 'proto-names'), { recursive: true });
  await writeFile(join(synthetic.runsDir, 'proto-names', 'metrics.json'), JSON.stringify({ constructor: 2, toString: 3, rmse: 1 }));
  await mkdir(join(synthetic.runsDir, 'sweeps', 'bad-sweep'), { recursive: true });
  await writeFile(join(synthetic.runsDir, 'sweeps', 'bad-sweep', 'sweep.json'), '{}');
  await symlink('/etc', join(synthetic.runsDir, 'etc-link'));
});
afterAll(async () => {
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

describe('stagegraph runs on a folder with corrupt records', () => {
  it('ls lists the good runs, warns once per corrupt folder naming the file and problem, and exits 0', async () => {
    const { code, stdout, stderr } = await runs('ls');
    expect(code).toBe(0);
    for (const id of synthetic.forecastRuns) expect(stdout).toContain(id);
    expect(stderr.split('\n').filter(Boolean).sort()).toEqual([
      'warning: bad-git: run.json is corrupt (left out): git.commit: expected string, got number',
      'warning: bad-metrics: metrics.json is corrupt (left out): expected record, got null',
      'warning: bad-null: run.json is corrupt (left out): expected object, got null',
      'warning: bad-started: run.json is corrupt (left out): startedAt: expected string, got number',
      'warning: bad-sweep: sweeps/bad-sweep/sweep.json is corrupt (left out): id: expected string, got undefined',
      'warning: etc-link: etc-link is corrupt (left out): a link out of the runs folder, not read',
    ]);
    const json = JSON.parse((await runs('ls', '--json')).stdout);
    expect(json.corrupt.map((c: { id: string }) => c.id).sort()).toEqual(['bad-git', 'bad-metrics', 'bad-null', 'bad-started', 'bad-sweep', 'etc-link']);
  });

  it.each([
    [['show', 'bad-null'], 'error: run bad-null: run.json is corrupt: expected object, got null'],
    [['show', 'bad-git'], 'error: run bad-git: run.json is corrupt: git.commit: expected string, got number'],
    [['diff', 'bad-started', 'escapes'], 'error: run bad-started: run.json is corrupt: startedAt: expected string, got number'],
    [['compare', 'escapes', 'bad-metrics'], 'error: run bad-metrics: metrics.json is corrupt: expected record, got null'],
    [['compare', '--sweep', 'bad-sweep'], 'error: sweep bad-sweep: sweeps/bad-sweep/sweep.json is corrupt: id: expected string, got undefined'],
  ])('%j aimed at a corrupt record: one line naming the file, exit 2', async (args, message) => {
    const { code, stderr } = await runs(...args);
    expect([code, stderr]).toEqual([2, `${message}\n`]);
  });

  it.each([[['ls']], [['show', 'escapes']], [['diff', 'escapes', 'RUN']], [['compare', 'escapes', 'RUN']], [['ls', '--csv']], [['show', 'escapes', '--csv']], [['compare', 'RUN', 'proto-names']], [['compare', 'proto-names', 'RUN', '--csv']], [['diff', 'RUN', 'proto-names']]])(
    '%j prints no escape byte of a record and no raw JavaScript message',
    async (args) => {
      const { code, stdout, stderr } = await runs(...args.map((a) => a.replace('RUN', synthetic.forecastRuns[0])));
      expect(code).toBe(0);
      expect(stdout + stderr).not.toMatch(RAW);
    },
  );

  it('shows escape bytes escaped, so what they were stays readable', async () => {
    const { stdout } = await runs('show', 'escapes');
    expect(stdout).toContain('metrics.rmse\\x1b[2J');
    expect(stdout).toContain('x\\x1b]0;title\\x07');
    expect(stdout).toContain('cpu\\x1b[31m');
  });
});
