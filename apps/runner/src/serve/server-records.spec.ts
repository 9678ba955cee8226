import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { selectBackend } from '@stagegraph/core-tensor';
import { main } from '../main.js';
import { largeDigitPng } from '../test-support/image-bombs.js';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { captureOutput } from '../test-support/tiny-pipeline.js';
import { ROUTES } from './routes.js';
import { startServer, type RunningServer } from './server.js';

jest.setTimeout(120_000);

/** A request sent as written (no URL tidying), with a bounded wait; `sse` reads the first event only. */
function raw(base: string, path: string, method = 'GET', body?: Uint8Array) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${base}/`, { path, method, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (res.headers['content-type']?.startsWith('text/event-stream') && text.includes('\n\n')) {
          req.destroy();
          resolve({ status: res.statusCode!, body: text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.once('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.once('error', reject).end(body);
  });
}

/** Every route of the app, as requests naming the given run, sweep and second run. */
const everyRoute = (run: string, sweep: string, other: string) => [
  { path: '/' },
  { path: '/api/runs' },
  { path: '/api/sweeps' },
  { path: '/api/live' },
  { path: `/sweeps/${sweep}` },
  { path: `/api/sweeps/${sweep}` },
  { path: `/compare?run=${run}&run=${other}` },
  { path: '/draw' },
  { path: `/draw?run=${run}` },
  { path: '/upload' },
  { path: `/upload?run=${run}` },
  { path: '/forecast' },
  { path: `/forecast?run=${run}` },
  { path: `/api/predict?run=${run}`, method: 'POST', body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) },
  { path: '/assets/app.css' },
  { path: `/runs/${run}/run.json` },
  { path: `/runs/${run}/histories/train.json` },
  { path: `/runs/${run}/figures/forecastPlot.vl.json` },
];

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let server: RunningServer;

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns();
  server = await startServer({ runsDir: synthetic.runsDir, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

describe('every route walked', () => {
  it('covers each route of the table', () => {
    const walked = everyRoute('r', 's', 'o').map(({ path, method = 'GET' }) => ({
      pathname: new URL(path, 'http://x').pathname,
      method,
    }));
    for (const route of ROUTES) {
      const matches = (pathname: string) =>
        typeof route.path === 'string' ? route.path === pathname : route.path.test(pathname);
      expect([
        String(route.path),
        walked.some((w) => matches(w.pathname) && (route.methods as string[]).includes(w.method)),
      ]).toEqual([String(route.path), true]);
    }
  });

  it('follows no link out of the runs folder: a linked run folder, sweep folder, history, chart spec or live.json', async () => {
    const secret = 'SECRET-OUTSIDE-THE-RUNS-FOLDER';
    const outside = join(synthetic.dir, 'outside');
    const [good, other] = synthetic.forecastRuns;
    // copies of real records outside the folder, each carrying the secret in a field the pages show
    await cp(join(synthetic.runsDir, good), join(outside, 'run'), { recursive: true });
    await writeFile(join(outside, 'run', 'report.html'), secret);
    await writeFile(join(outside, 'run', 'metrics.json'), JSON.stringify({ rmse: 1, [secret]: 2 }));
    await cp(join(synthetic.runsDir, 'sweeps', synthetic.sweepId), join(outside, 'sweep'), { recursive: true });
    await writeFile(
      join(outside, 'sweep', 'sweep.json'),
      readFileSync(join(outside, 'sweep', 'sweep.json'), 'utf8').replace('"tiny-stock"', `"${secret}"`),
    );
    await writeFile(join(outside, 'history.json'), JSON.stringify({ epochs: [{ epoch: 1, loss: 1 }], [secret]: 1 }));
    await writeFile(join(outside, 'spec.json'), JSON.stringify({ title: secret, mark: 'line' }));
    await writeFile(
      join(outside, 'live.json'),
      JSON.stringify({
        pipeline: secret,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        done: 0,
        total: 1,
        running: [],
      }),
    );

    await symlink(join(outside, 'run'), join(synthetic.runsDir, 'linked-run'));
    await symlink(join(outside, 'sweep'), join(synthetic.runsDir, 'sweeps', 'linked-sweep'));
    await rm(join(synthetic.runsDir, other, 'histories', 'train.json'));
    await symlink(join(outside, 'history.json'), join(synthetic.runsDir, other, 'histories', 'train.json'));
    await rm(join(synthetic.runsDir, other, 'figures', 'forecastPlot.vl.json'));
    await symlink(join(outside, 'spec.json'), join(synthetic.runsDir, other, 'figures', 'forecastPlot.vl.json'));
    await mkdir(join(synthetic.runsDir, `.tmp-live-${process.pid}.1`));
    await symlink(join(outside, 'live.json'), join(synthetic.runsDir, `.tmp-live-${process.pid}.1`, 'live.json'));
    for (const [run, sweep, second] of [
      ['linked-run', 'linked-sweep', good],
      [other, synthetic.sweepId, good],
      [good, 'linked-sweep', 'linked-run'],
    ]) {
      for (const { path, method, body } of everyRoute(run, sweep, second)) {
        const response = await raw(server.url, path, method, body);
        expect([path, response.status < 500, response.body.includes(secret)]).toEqual([path, true, false]);
      }
    }
    const listing = (await (await fetch(`${server.url}/api/runs`)).json()) as {
      corrupt: { id: string; problem: string }[];
    };
    expect(listing.corrupt).toEqual([
      { id: 'linked-run', file: 'linked-run', problem: 'a link out of the runs folder, not read' },
    ]);
    const page = await (await fetch(`${server.url}/compare?run=${good}&run=${other}`)).text();
    expect(page).toContain('histories/train.json</code> left out: a link out of the runs folder, not read');
  });
});

describe("only runs' own files, named as the CLI names runs", () => {
  it('serves no file of a folder that holds no run, and no path with . or .. as sent', async () => {
    await mkdir(join(synthetic.runsDir, 'photos', 'private'), { recursive: true });
    await writeFile(join(synthetic.runsDir, 'photos', 'a.jpg'), 'PHOTO');
    await writeFile(join(synthetic.runsDir, 'photos', 'private', 'diary.txt'), 'PHOTO');
    const run = synthetic.forecastRuns[0];
    for (const path of [
      '/runs/photos/a.jpg',
      '/runs/photos/private/diary.txt',
      `/runs/${run}/../photos/a.jpg`,
      `/runs/${run}/%2e%2e/photos/a.jpg`,
      `/runs/sweeps/../photos/a.jpg`,
      `/runs/${run}/./run.json`,
      `/runs/${run}/../${run}/run.json`,
    ]) {
      const response = await raw(server.url, path);
      expect([path, response.status, response.body.includes('PHOTO')]).toEqual([path, 404, false]);
    }
    expect((await raw(server.url, `/runs/${run}/run.json`)).status).toBe(200);
  });

  it('takes a unique prefix and latest in ?run=, and names the closest run for a typo, on an HTML error page', async () => {
    const [newest, older] = [...synthetic.forecastRuns].sort().reverse();
    const compare = await raw(server.url, `/compare?run=${older}&run=latest`);
    expect(compare.status).toBe(200);
    expect(compare.body).toContain(`>${synthetic.digitRun}</a>`); // latest: the newest run of all
    const typo = newest.replace('tiny-stock', 'tiny-stok');
    const missing = await raw(server.url, `/compare?run=${typo}&run=${older}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain(
      `<h1>Not found</h1><p class="error"><code>run &quot;${typo}&quot;: expected a run folder in the runs folder, got none by that name (did you mean &quot;${newest}&quot;?)</code>`,
    );
    expect((await raw(server.url, `/forecast?run=${newest.slice(0, -2)}`)).status).toBe(200);
  });

  it('predicts with the newest digit model when /api/predict names no run, as /draw picks', async () => {
    const response = await fetch(`${server.url}/api/predict`, { method: 'POST', body: await largeDigitPng(100) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { run: string }).run).toBe(synthetic.digitRun);
  });
});

describe('named pipes in the runs folder', () => {
  it('are listed as corrupt and never read: no route and no runs command waits on one', async () => {
    const [good] = synthetic.forecastRuns;
    await cp(join(synthetic.runsDir, good), join(synthetic.runsDir, 'fifo-run'), { recursive: true });
    await rm(join(synthetic.runsDir, 'fifo-run', 'run.json'));
    execFileSync('mkfifo', [join(synthetic.runsDir, 'fifo-run', 'run.json')]);
    await cp(join(synthetic.runsDir, good), join(synthetic.runsDir, 'fifo-history'), { recursive: true });
    await rm(join(synthetic.runsDir, 'fifo-history', 'histories', 'train.json'));
    execFileSync('mkfifo', [join(synthetic.runsDir, 'fifo-history', 'histories', 'train.json')]);
    try {
      for (const { path, method, body } of [
        ...everyRoute('fifo-run', synthetic.sweepId, good),
        ...everyRoute('fifo-history', synthetic.sweepId, good),
      ]) {
        const response = await raw(server.url, path, method, body); // each waits at most 10 s
        expect([path, response.status < 500]).toEqual([path, true]);
      }
      const listing = (await (await fetch(`${server.url}/api/runs`)).json()) as {
        corrupt: { id: string; problem: string }[];
      };
      expect(listing.corrupt).toContainEqual({
        id: 'fifo-run',
        file: 'run.json',
        problem: 'expected a file, got something else',
      });
      const output = captureOutput();
      expect(await main(['runs', 'show', 'fifo-run', '--out', synthetic.runsDir], output)).toBe(2);
    } finally {
      await rm(join(synthetic.runsDir, 'fifo-run'), { recursive: true });
      await rm(join(synthetic.runsDir, 'fifo-history'), { recursive: true });
    }
  });
});

describe('odd states of the runs folder', () => {
  it('lists a sweep whose recorded id is not its folder as corrupt (its link would lead nowhere)', async () => {
    const record = JSON.parse(readFileSync(join(synthetic.runsDir, 'sweeps', synthetic.sweepId, 'sweep.json'), 'utf8'));
    await mkdir(join(synthetic.runsDir, 'sweeps', 'moved-sweep'));
    await writeFile(join(synthetic.runsDir, 'sweeps', 'moved-sweep', 'sweep.json'), JSON.stringify(record));
    try {
      const { corrupt } = (await (await fetch(`${server.url}/api/sweeps`)).json()) as {
        corrupt: { id: string; problem: string }[];
      };
      expect(corrupt).toContainEqual({
        id: 'moved-sweep',
        file: 'sweeps/moved-sweep/sweep.json',
        problem: `id: expected "moved-sweep" (its folder's name), got "${synthetic.sweepId}"`,
      });
    } finally {
      await rm(join(synthetic.runsDir, 'sweeps', 'moved-sweep'), { recursive: true });
    }
  });

  it('answers HEAD /api/live with its headers alone, and a runs folder removed while serving with empty pages', async () => {
    expect((await raw(server.url, '/api/live', 'HEAD')).status).toBe(200);
    const dir = await writeSyntheticRuns({ forecastRuns: 1, digitRun: false });
    const gone = await startServer({ runsDir: dir.runsDir, host: '127.0.0.1', port: 0 });
    try {
      await rm(dir.runsDir, { recursive: true });
      for (const path of ['/', '/api/runs', '/draw', '/forecast'])
        expect([path, (await raw(gone.url, path)).status]).toEqual([path, 200]);
    } finally {
      await gone.close();
      await rm(dir.dir, { recursive: true, force: true });
    }
  });
});

describe('malformed URLs', () => {
  it.each([
    '/sweeps/%',
    '/sweeps/%zz',
    '/api/sweeps/%E0%A4%A',
    '/runs/RUN/%zz',
    '/runs/RUN/figures/%E0%A4%A',
    '/runs/%zz/x',
    '/%',
  ])('%s: 400', async (path) => {
    const response = await raw(server.url, path.replace('RUN', synthetic.forecastRuns[0]));
    expect(response.status).toBe(400);
    expect(response.body).toContain('expected a URL with well-formed %-escapes');
  });
});

/** Corrupt records as the issue found them, each in a run or sweep folder of its own. */
const CORRUPT_RUNS: [string, string, string, string][] = [
  ['run.json null', 'run.json', 'null', 'expected object, got null'],
  ['run.json an array', 'run.json', '[]', 'expected object, got array'],
  ['run.json a string', 'run.json', '"x"', 'expected object, got string'],
  ['run.json {}', 'run.json', '{}', 'pipeline: expected string, got undefined'],
  ['stages: 5', 'run.json', 'STAGES5', 'stages: expected array, got number'],
  ['startedAt: 5', 'run.json', 'STARTED5', 'startedAt: expected string, got number'],
  ['a config stage null', 'run.json', 'STAGENULL', 'config.stages.train: expected object, got null'],
  ['run.json cut short', 'run.json', '{"pipeline": "x", "sta', 'not valid JSON'],
  ['metrics.json null', 'metrics.json', 'null', 'expected record, got null'],
];

describe('corrupt records', () => {
  let dir: Awaited<ReturnType<typeof writeSyntheticRuns>>;
  let corruptServer: RunningServer;
  beforeAll(async () => {
    dir = await writeSyntheticRuns({ forecastRuns: 2 });
    const base = JSON.parse(readFileSync(join(dir.runsDir, dir.forecastRuns[0], 'run.json'), 'utf8'));
    const variants: Record<string, unknown> = {
      STAGES5: { ...base, stages: 5 },
      STARTED5: { ...base, startedAt: 5 },
      STAGENULL: { ...base, config: { ...base.config, stages: { train: null } } },
    };
    for (const [i, [, file, text]] of CORRUPT_RUNS.entries()) {
      const id = `corrupt-${i}`;
      await cp(join(dir.runsDir, dir.forecastRuns[0]), join(dir.runsDir, id), { recursive: true });
      await writeFile(join(dir.runsDir, id, file), text in variants ? JSON.stringify(variants[text]) : text);
    }
    const sweepFile = (id: string) => join(dir.runsDir, 'sweeps', id, 'sweep.json');
    const sweep = JSON.parse(readFileSync(sweepFile(dir.sweepId), 'utf8'));
    for (const [id, value] of Object.entries({
      'sweep-empty': {},
      'sweep-null': null,
      'sweep-no-block': { ...sweep, sweep: undefined },
      'sweep-trials-5': { ...sweep, trials: 5 },
    })) {
      await mkdir(join(dir.runsDir, 'sweeps', id), { recursive: true });
      await writeFile(sweepFile(id), JSON.stringify(value));
    }
    // a good run whose history and chart spec are cut short
    await writeFile(join(dir.runsDir, dir.forecastRuns[1], 'histories', 'train.json'), '{"epochs": [{"epoch": 1, "lo');
    await writeFile(join(dir.runsDir, dir.forecastRuns[1], 'figures', 'forecastPlot.vl.json'), '{"mark": "li');
    corruptServer = await startServer({ runsDir: dir.runsDir, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await corruptServer?.close();
    if (dir) await rm(dir.dir, { recursive: true, force: true });
  });

  it('lists each corrupt folder with its file and problem, and serves the rest', async () => {
    const listing = (await (await fetch(`${corruptServer.url}/api/runs`)).json()) as {
      runs: { id: string }[];
      corrupt: { id: string; file: string; problem: string }[];
    };
    expect(listing.runs.map((r) => r.id).sort()).toEqual([...dir.forecastRuns, dir.digitRun].sort());
    const expected = CORRUPT_RUNS.map(([, file, , problem], i) => ({ id: `corrupt-${i}`, file, problem }));
    expect(
      listing.corrupt.map((c) => ({
        ...c,
        problem: c.problem.slice(0, expected.find((e) => e.id === c.id)!.problem.length),
      })),
    ).toEqual(expected);
    const sweeps = (await (await fetch(`${corruptServer.url}/api/sweeps`)).json()) as {
      sweeps: unknown[];
      corrupt: { id: string; problem: string }[];
    };
    expect(sweeps.sweeps).toHaveLength(1);
    expect(sweeps.corrupt.map((c) => c.id)).toEqual(['sweep-empty', 'sweep-no-block', 'sweep-null', 'sweep-trials-5']);
    const page = await raw(corruptServer.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h2>Corrupt records</h2>');
    expect(page.body).toContain(
      '<tr data-corrupt="corrupt-4"><td>corrupt-4</td><td><code>run.json</code></td><td>stages: expected array, got number</td></tr>',
    );
  });

  it('answers every page and API 200 or 4xx, and the live view its first event', async () => {
    for (const id of [...CORRUPT_RUNS.keys()].map((i) => `corrupt-${i}`)) {
      for (const { path, method, body } of everyRoute(id, 'sweep-trials-5', dir.forecastRuns[1])) {
        const response = await raw(corruptServer.url, path, method, body);
        expect([
          path,
          response.status < 500,
          /Cannot read properties|is not a function|is not iterable/.test(response.body),
        ]).toEqual([path, true, false]);
      }
    }
    expect((await raw(corruptServer.url, '/api/live')).body).toMatch(/^data: \{/);
    const compare = await raw(corruptServer.url, `/compare?run=${dir.forecastRuns[0]}&run=corrupt-4`);
    expect(compare.status).toBe(422);
    expect(compare.body).toContain(
      '<code>run corrupt-4: run.json is corrupt: stages: expected array, got number</code>',
    );
    const sweep = await raw(corruptServer.url, '/api/sweeps/sweep-null');
    expect([sweep.status, JSON.parse(sweep.body).error]).toEqual([
      422,
      'sweep sweep-null: sweeps/sweep-null/sweep.json is corrupt: expected object, got null',
    ]);
  });

  it('shows a run whose history and chart spec are cut short, saying what it left out', async () => {
    const compare = await raw(corruptServer.url, `/compare?run=${dir.forecastRuns[0]}&run=${dir.forecastRuns[1]}`);
    expect(compare.status).toBe(200);
    expect(compare.body).toContain(
      `${dir.forecastRuns[1]}: <code>histories/train.json</code> left out: not valid JSON`,
    );
    const forecast = await raw(corruptServer.url, `/forecast?run=${dir.forecastRuns[1]}`);
    expect(forecast.status).toBe(200);
    expect(forecast.body).toContain('<code>figures/forecastPlot.vl.json</code> left out: not valid JSON');
    expect(forecast.body).toContain(`<img src="/runs/${dir.forecastRuns[1]}/figures/forecastPlot.svg"`); // the static chart still shows
  });
});

describe('any JSON value in place of a record', () => {
  it('never makes a page or API answer 5xx, nor a runs command crash, and the server stays up', async () => {
    const dir = await writeSyntheticRuns({ forecastRuns: 2 });
    const target = dir.forecastRuns[0];
    const live = `.tmp-live-${process.pid}.1/live.json`;
    await mkdir(join(dir.runsDir, live, '..'));
    const files = [
      `${target}/run.json`,
      `${target}/metrics.json`,
      `${target}/histories/train.json`,
      `${target}/figures/forecastPlot.vl.json`,
      `sweeps/${dir.sweepId}/sweep.json`,
      live,
    ];
    const fuzzServer = await startServer({ runsDir: dir.runsDir, host: '127.0.0.1', port: 0 });
    /** The runs commands read the same records: exit 0 or 2, never a raw JavaScript message. */
    const cli = async (args: string[]) => {
      const output = captureOutput();
      const code = await main(['runs', ...args, '--out', dir.runsDir], output);
      return { code, text: output.stdout() + output.stderr() };
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...files), fc.jsonValue({ maxDepth: 4 }), async (file, value) => {
          await writeFile(join(dir.runsDir, file), JSON.stringify(value) ?? 'null');
          for (const { path, method, body } of everyRoute(target, dir.sweepId, dir.forecastRuns[1])) {
            const response = await raw(fuzzServer.url, path, method, body);
            if (response.status >= 500)
              throw new Error(
                `${file} = ${JSON.stringify(value)}: ${path} answered ${response.status} ${response.body}`,
              );
          }
          for (const args of [
            ['ls'],
            ['show', target],
            ['diff', target, dir.forecastRuns[1]],
            ['compare', '--sweep', dir.sweepId],
          ]) {
            const { code, text } = await cli(args);
            if (![0, 2].includes(code) || /Cannot read properties|is not a function|is not iterable/.test(text))
              throw new Error(`${file} = ${JSON.stringify(value)}: runs ${args.join(' ')} exited ${code}: ${text}`);
          }
        }),
        { numRuns: 40, seed: 26 },
      );
      expect((await raw(fuzzServer.url, '/')).status).toBe(200);
    } finally {
      await fuzzServer.close();
      await rm(dir.dir, { recursive: true, force: true });
    }
  });
});
