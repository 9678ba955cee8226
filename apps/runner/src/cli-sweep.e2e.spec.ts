import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepRecord } from './sweep/sweep-record.js';
import { tinyConfig, tinyWorkspace } from './test-support/tiny-pipeline.js';
import { cli } from './test-support/cli-in-process.js';

let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
const cwd = process.cwd();
const objective = { metric: 'rmse', goal: 'min' };
const grid = {
  method: 'grid',
  params: { 'stages.train.params.units': [2, 3], 'stages.windows.params.seqLength': [4, 5] },
  objective,
};

const writeConfig = (name: string, sweep: unknown, epochs = 2) =>
  writeFile(name, JSON.stringify({ ...tinyConfig('prices.csv', epochs), sweep }));
const sweepRecord = async (id: string) =>
  JSON.parse(await readFile(join('runs', 'sweeps', id, 'sweep.json'), 'utf8')) as SweepRecord;
const trialRunCount = async () => (await readdir('runs')).filter((n) => n.startsWith('tiny-stock-')).length;

/** The 2x2 grid, swept once before the tests (each test reads it and may add to the runs folder). */
let first: { code: number; out: string; err: string; id: string };
beforeAll(async () => {
  await selectBackend('cpu');
  ws = await tinyWorkspace();
  process.chdir(ws.dir);
  await writeConfig('grid.json', grid);
  const result = await cli('sweep', 'grid.json', '--backend', 'cpu');
  first = { ...result, id: /^sweep (\S+):/.exec(result.out)![1] };
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(ws.dir, { recursive: true, force: true });
});

describe('stagegraph sweep, a 2x2 grid', () => {
  it('runs 4 trials, computing the stages every trial shares once', async () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const record = await sweepRecord(first.id);
    expect(record.status).toBe('completed');
    expect(record.trials.map((t) => t.params)).toEqual([
      { 'stages.train.params.units': 2, 'stages.windows.params.seqLength': 4 },
      { 'stages.train.params.units': 2, 'stages.windows.params.seqLength': 5 },
      { 'stages.train.params.units': 3, 'stages.windows.params.seqLength': 4 },
      { 'stages.train.params.units': 3, 'stages.windows.params.seqLength': 5 },
    ]);
    const computed = (stage: string) => record.trials.filter((t) => t.runs[0].computed.includes(stage)).length;
    expect([computed('load'), computed('split'), computed('scale')]).toEqual([1, 1, 1]);
    expect(computed('windows')).toBe(2); // one per seqLength
    expect(computed('train')).toBe(4);
    expect(first.out).toMatch(/stage runs: load 1, split 1, scale 1, windows 2, train 4/);
    // the table is sorted by the objective
    const rmses = [...first.out.matchAll(/^\s+\d\s+\d\s+\d\s+([\d.]+)\s+completed/gm)].map((m) => Number(m[1]));
    expect(rmses).toHaveLength(4);
    expect([...rmses].sort((a, b) => a - b)).toEqual(rmses);
  });

  it('prints the table and the best trial only with --quiet', async () => {
    const { code, out } = await cli('sweep', 'grid.json', '--backend', 'cpu', '--quiet');
    expect(code).toBe(0);
    expect(out).not.toMatch(/^(sweep |backend:|trial \d\/4|\s+trial \d )/m);
    expect(out).toMatch(/^trial\s+units\s+seqLength\s+rmse\s+status\s+time$/m);
    expect(out).toMatch(/^best: trial \d, rmse=/m);
  });

  it('lists the trials with params and the objective in runs compare --sweep, best first', async () => {
    const { code, out } = await cli('runs', 'compare', '--sweep', first.id, '--json');
    expect(code).toBe(0);
    const { sweep, runs } = JSON.parse(out);
    expect(sweep.id).toBe(first.id);
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(Object.keys(run.params).sort()).toEqual(['stages.train.params.units', 'stages.windows.params.seqLength']);
      expect(typeof run.metrics.rmse).toBe('number');
    }
    const rmses = runs.map((r: { metrics: { rmse: number } }) => r.metrics.rmse);
    expect([...rmses].sort((a, b) => a - b)).toEqual(rmses);
    expect(runs[0].trial).toBe(sweep.best.trial);
    const csv = await cli('runs', 'compare', '--sweep', first.id, '--csv');
    expect(csv.out.split('\n')[0]).toMatch(/^run,trial,units,seqLength,rmse,/); // the sweep's params in its order
    expect(csv.out.trim().split('\n')).toHaveLength(5);
  });

  it('writes the best trial as a config that stagegraph run takes, all from the cache', async () => {
    const record = await sweepRecord(first.id);
    const best = record.trials.find((t) => t.trial === record.best!.trial)!;
    const config = JSON.parse(await readFile(record.best!.config, 'utf8'));
    expect(config.sweep).toBeUndefined();
    expect(config.stages.train.params.units).toBe(best.params['stages.train.params.units']);
    const { code, out } = await cli('run', record.best!.config, '--backend', 'cpu', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(result.metrics.rmse).toBe(record.best!.objective);
    expect(out).not.toMatch(/"type":"stage-end"[^\n]*"cached":false/);
  });

  it('draws the same trials and reuses every stage when swept again', async () => {
    const again = await cli('sweep', 'grid.json', '--backend', 'cpu', '--json');
    expect(again.code).toBe(0);
    const end = JSON.parse(again.out.trim().split('\n').at(-1)!);
    expect(end.type).toBe('sweep-end');
    expect(end.stageRuns).toEqual({});
    const [a, b] = [await sweepRecord(first.id), await sweepRecord(end.id)];
    expect(b.trials.map((t) => [t.params, t.objective])).toEqual(a.trials.map((t) => [t.params, t.objective]));
    const latest = JSON.parse((await cli('runs', 'compare', '--sweep', 'latest', '--json')).out);
    expect(latest.sweep.id).toBe(end.id);
  });
});

describe('stagegraph sweep --jobs', () => {
  it('runs trials in worker processes with the same results, the shared stages still computed once', async () => {
    await writeConfig('grid-jobs.json', grid, 3);
    const { code, out, err } = await cli(
      'sweep',
      'grid-jobs.json',
      '--backend',
      'cpu',
      '--jobs',
      '2',
      '--cache-dir',
      'jobs-cache',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const parallel = await sweepRecord(/^sweep (\S+):/.exec(out)![1]);
    const computed = (stage: string) => parallel.trials.filter((t) => t.runs[0].computed.includes(stage)).length;
    expect([computed('load'), computed('split'), computed('scale')]).toEqual([1, 1, 1]);
    expect(computed('train')).toBe(4);
    // the same trials in this process, from a fresh cache: the same objectives, to the last digit
    const again = await cli('sweep', 'grid-jobs.json', '--backend', 'cpu', '--cache-dir', 'other-cache');
    const serial = await sweepRecord(/^sweep (\S+):/.exec(again.out)![1]);
    expect(serial.trials.map((t) => t.runs[0].computed.includes('train'))).toEqual([true, true, true, true]);
    expect(parallel.trials.map((t) => t.objective)).toEqual(serial.trials.map((t) => t.objective));
    const run = JSON.parse(await readFile(join('runs', parallel.trials[1].runs[0].run, 'run.json'), 'utf8'));
    expect(run.threads).toBe(1);
  });
});

describe('stagegraph sweep, successive halving', () => {
  it('stops the losing trials after fewer epochs and trains the best for the full budget', async () => {
    const halving = {
      method: 'halving',
      trials: 4,
      params: {
        'stages.train.params.units': { choices: [2, 3, 4] },
        'stages.train.params.learningRate': { min: 0.001, max: 0.05, log: true },
      },
      budget: { param: 'stages.train.params.epochs', min: 1, max: 4, eta: 2 },
      objective,
    };
    await writeConfig('halving.json', halving);
    const { code, out } = await cli('sweep', 'halving.json', '--backend', 'cpu');
    expect(code).toBe(0);
    const record = await sweepRecord(/^sweep (\S+):/.exec(out)![1]);
    const budgets = record.trials.map((t) => t.runs.map((r) => r.budget));
    // 4 trials for 1 epoch, the best 2 for 2, the best of those for 4
    expect(budgets.flat().sort()).toEqual([1, 1, 1, 1, 2, 2, 4]);
    expect(record.trials.filter((t) => t.status === 'stopped early')).toHaveLength(3);
    const winner = record.trials.find((t) => t.status === 'completed')!;
    expect(winner.trial).toBe(record.best!.trial);
    expect(winner.runs.map((r) => r.budget)).toEqual([1, 2, 4]);
    // the rung-1 pair were the best two of rung 0
    const rung0 = record.trials
      .map((t) => ({ trial: t.trial, rmse: t.runs[0].objective! }))
      .sort((a, b) => a.rmse - b.rmse);
    expect(
      record.trials
        .filter((t) => t.runs.length > 1)
        .map((t) => t.trial)
        .sort(),
    ).toEqual(
      rung0
        .slice(0, 2)
        .map((t) => t.trial)
        .sort(),
    );
    const run = JSON.parse(await readFile(join('runs', winner.runs[2].run, 'run.json'), 'utf8'));
    expect(run.config.stages.train.params.epochs).toBe(4);
    expect(run.sweep).toMatchObject({ id: record.id, trial: winner.trial, rung: 2, budget: 4 });
  });
});

describe('stagegraph sweep, bad sweeps', () => {
  it.each([
    ['no sweep block', undefined, /^error: bad\.json: sweep: expected a "sweep" block/],
    [
      'a stage that is not there',
      { ...grid, params: { 'stages.trian.params.units': [2, 3] } },
      /sweep\.params\.stages\.trian\.params\.units: no stage "trian" \(did you mean "train"\?\)/,
    ],
    [
      'a value the stage refuses',
      { ...grid, params: { 'stages.train.params.units': [2, -1] } },
      /\(sweep values units=-1\): stages\.train\.params\.units: /,
    ],
    [
      'a range in a grid',
      { ...grid, params: { 'stages.train.params.units': { min: 1, max: 3 } } },
      /sweep\.params\.stages\.train\.params\.units: a grid needs a list of values/,
    ],
  ])('%s: one clear error, exit 2, no run', async (_, sweep, message) => {
    await writeConfig('bad.json', sweep);
    const before = await trialRunCount();
    const { code, err } = await cli('sweep', 'bad.json', '--backend', 'cpu');
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(await trialRunCount()).toBe(before);
    if (sweep) {
      // validate checks every trial's config as sweep does, with the same line
      const validated = await cli('validate', 'bad.json', '--no-data');
      expect([validated.code, validated.err]).toEqual([2, err]);
    }
  });

  it('names the metrics there are when the objective is not one of them', async () => {
    await writeConfig('bad-metric.json', { ...grid, objective: { metric: 'rmsee', goal: 'min' } });
    const { code, err } = await cli('sweep', 'bad-metric.json', '--backend', 'cpu');
    expect(code).toBe(2);
    expect(err).toMatch(
      /sweep\.objective\.metric: expected one of the run's metrics \([^)]*rmse[^)]*\), got "rmsee" \(did you mean "rmse"\?\)/,
    );
    // the sweep's record keeps why its trial failed
    const [newest] = JSON.parse((await cli('runs', 'ls', '--json')).out).sweeps;
    const record = JSON.parse(await readFile(join('runs', 'sweeps', newest.id, 'sweep.json'), 'utf8'));
    expect(record.trials[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('got "rmsee"') });
  });
});

describe('stagegraph runs', () => {
  it('lists runs newest first with the trials under their sweep', async () => {
    const { code, out } = await cli('runs', 'ls');
    expect(code).toBe(0);
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`sweep ${first.id}`));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5).every((l) => /^ {2}tiny-stock-\S+ .* completed .* rmse=[\d.]+$/.test(l))).toBe(
      true,
    );
    const json = JSON.parse((await cli('runs', 'ls', '--json')).out);
    expect(json.sweeps.map((s: { id: string }) => s.id)).toContain(first.id);
    expect(json.runs.length).toBeGreaterThanOrEqual(4);
  });

  it('shows a run with its provenance, params and metrics', async () => {
    const record = await sweepRecord(first.id);
    const { code, out } = await cli('runs', 'show', record.trials[0].runs[0].run, '--json');
    expect(code).toBe(0);
    const run = JSON.parse(out);
    expect(run.sweep).toMatchObject({ id: first.id, trial: 1 });
    expect(run.params['stages.train.params.units']).toBe(2);
    expect(run.versions.stagegraph).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.versions['@tensorflow/tfjs']).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.backend).toBe('cpu');
    expect(typeof run.metrics.rmse).toBe('number');
  });

  it('diffs two trials: the params that differ and the metrics with deltas', async () => {
    const record = await sweepRecord(first.id);
    const [a, b] = [record.trials[0], record.trials[3]].map((t) => t.runs[0].run);
    const { code, out } = await cli('runs', 'diff', a, b, '--json');
    expect(code).toBe(0);
    const diff = JSON.parse(out);
    expect(diff.params).toEqual([
      { kind: 'param', name: 'stages.windows.params.seqLength', a: 4, b: 5 },
      { kind: 'param', name: 'stages.train.params.units', a: 2, b: 3 },
    ]);
    const rmse = diff.metrics.find((m: { name: string }) => m.name === 'rmse');
    expect(rmse.delta).toBeCloseTo(record.trials[3].objective! - record.trials[0].objective!, 10);
    const text = (await cli('runs', 'diff', a, b)).out;
    expect(text).toMatch(/^param\s+stages\.train\.params\.units\s+2\s+3/m);
    expect(text).toMatch(/^metric\s+rmse\s+[\d.]+\s+[\d.]+\s+-?[\d.e-]+\s+[+-][\d.]+%/m);
  });

  it('says which run it could not find, exit 2', async () => {
    const { code, err } = await cli('runs', 'show', 'nope');
    expect(code).toBe(2);
    expect(err).toMatch(
      /^error: run "nope": expected a run folder in runs, got none by that name \(newest: tiny-stock-/,
    );
    const sweep = await cli('runs', 'compare', '--sweep', 'nope');
    expect(sweep.code).toBe(2);
    expect(sweep.err).toMatch(/--sweep nope: expected a sweep in runs\/sweeps, got none by that name/);
  });
});
