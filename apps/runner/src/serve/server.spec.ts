import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '@stagegraph/core-tensor';
import { main } from '../main.js';
import { drawDigit } from '../test-support/generated-digits.js';
import { makeServedRuns } from '../test-support/served-runs.js';
import { captureOutput } from '../test-support/tiny-pipeline.js';
import { reportScriptHashes } from '../report/run-report.js';
import { startServer, type RunningServer } from './server.js';

jest.setTimeout(180_000);
let runs: Awaited<ReturnType<typeof makeServedRuns>>;
let server: RunningServer;
const serverLog: string[] = [];

beforeAll(async () => {
  runs = await makeServedRuns({ digitsPerClass: 30, epochs: 3 });
  // run folders that are themselves links out of the runs folder: to /etc and to a copy of a run
  const outsideRun = join(runs.dir, 'outside-run');
  await cp(join(runs.runsDir, runs.mnistRun), outsideRun, { recursive: true });
  await writeFile(join(outsideRun, 'secret.txt'), 'not for the web');
  await symlink('/etc', join(runs.runsDir, 'etc-run-link'));
  await symlink(outsideRun, join(runs.runsDir, 'outside-run-link'));
  server = await startServer({
    runsDir: runs.runsDir,
    host: '127.0.0.1',
    port: 0,
    log: (line) => serverLog.push(line),
  });
});
afterAll(async () => {
  await server?.close();
  if (runs) await rm(runs.dir, { recursive: true, force: true });
});

/** A request sent as written: fetch and curl would tidy `..` away before it left. */
const raw = (path: string, method = 'GET') =>
  new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(`${server.url}/`, { path, method }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.once('error', reject).end();
  });
const predict = (body: Uint8Array, run = runs.mnistRun) =>
  fetch(`${server.url}/api/predict?run=${encodeURIComponent(run)}`, { method: 'POST', body });
const png = async (digit: number) =>
  sharp(await drawDigit(digit, new SeededRandom(digit)), { raw: { width: 28, height: 28, channels: 1 } })
    .resize(140, 140)
    .png()
    .toBuffer();

describe('stagegraph serve: sweeps, compare and live', () => {
  it('lists the sweep and its trials, and serves its page and JSON', async () => {
    const { sweeps } = (await (await fetch(`${server.url}/api/sweeps`)).json()) as {
      sweeps: { id: string; trials: { runs: { run: string }[] }[] }[];
    };
    expect(sweeps).toHaveLength(1);
    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toContain(`<a href="/sweeps/${sweeps[0].id}">`);
    for (const trial of sweeps[0].trials) expect(page).toContain(`<tr data-run="${trial.runs[0].run}">`);
    const sweepPage = await (await fetch(`${server.url}/sweeps/${sweeps[0].id}`)).text();
    expect(sweepPage.match(/<circle /g)).toHaveLength(2);
    expect((await raw('/sweeps/nope')).status).toBe(404);
    expect((await raw('/api/sweeps/nope')).status).toBe(404);
  });

  it('compares two or more runs, and says so when given fewer', async () => {
    const both = await fetch(`${server.url}/compare?run=${runs.stockRun}&run=${runs.mnistRun}`);
    expect(both.status).toBe(200);
    const page = await both.text();
    expect(page).toContain('<h1>Compare 2 runs</h1>');
    expect(page).toMatch(/<th>rmse<\/th><td class="num">[\d.]+<\/td><td class="num"><\/td>/);
    expect(page.match(/class="series"/g)!.length).toBeGreaterThanOrEqual(2); // each run's training curve
    const one = await raw(`/compare?run=${runs.stockRun}`);
    expect(one.status).toBe(400);
    expect(one.body).toContain('compare: expected two or more runs');
    expect((await raw(`/compare?run=${runs.stockRun}&run=nope`)).status).toBe(404);
  });

  it('streams what is running and finished as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const state = JSON.parse(/^data: (.*)$/m.exec(text)![1]);
    expect(state.running).toEqual([]);
    expect(state.finishedRuns).toBe(4);
    expect(state.sweeps[0]).toMatchObject({ status: 'completed', done: 2, total: 2 });
  });
});

describe('stagegraph serve: pages', () => {
  it('lists the runs newest first with their headline metric and links', async () => {
    const page = await (await fetch(`${server.url}/`)).text();
    const metrics = JSON.parse(await readFile(join(runs.runsDir, runs.mnistRun, 'metrics.json'), 'utf8'));
    const rows = [...page.matchAll(/<tr data-run="([^"]+)">(.*?)<\/tr>/g)].filter((r) => !r[2].includes('>trial ')); // the sweep's trials are checked below
    expect(rows.map((r) => r[1])).toEqual([runs.mnistRun, runs.stockRun]);
    expect(rows[0][2]).toContain(`accuracy ${metrics.accuracy.toPrecision(4).replace(/\.?0+$/, '')}`);
    expect(rows[0][2]).toContain(`href="/draw?run=${runs.mnistRun}"`);
    expect(rows[1][2]).toMatch(/rmse [\d.]+/);
    expect(rows[1][2]).toContain(`href="/forecast?run=${runs.stockRun}"`);
    for (const [, id] of rows) expect(page).toContain(`href="/runs/${id}/report.html"`);
  });

  it('shows the next-day forecast and the forecast chart of the stock run', async () => {
    const metrics = JSON.parse(await readFile(join(runs.runsDir, runs.stockRun, 'metrics.json'), 'utf8'));
    const page = await (await fetch(`${server.url}/forecast?run=${runs.stockRun}`)).text(); // the newest is a sweep trial
    expect(page).toContain(`<p class="big" id="next-day">${metrics.nextDayForecast.toPrecision(4)}</p>`);
    expect(page).toContain(`trading day after <strong>${metrics.nextDayAfter}</strong>`);
    const src = /<img src="([^"]+)"/.exec(page)![1];
    expect(src).toBe(`/runs/${runs.stockRun}/figures/forecastPlot.svg`);
    const figure = await fetch(server.url + src);
    expect(figure.headers.get('content-type')).toBe('image/svg+xml');
    expect(await figure.text()).toContain('<svg');
  });

  it('draws against the newest MNIST model and serves reports, assets and models', async () => {
    expect(await (await fetch(`${server.url}/draw`)).text()).toContain(
      `data-run="${runs.mnistRun}" data-model="models/train"`,
    );
    for (const path of [
      `/runs/${runs.mnistRun}/report.html`,
      `/runs/${runs.mnistRun}/models/train/model.json`,
      '/assets/draw.js',
      '/assets/app.css',
    ]) {
      expect([path, (await fetch(server.url + path)).status]).toEqual([path, 200]);
    }
    const redirect = await fetch(`${server.url}/runs/${runs.stockRun}/`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, `/runs/${runs.stockRun}/report.html`]);
  });

  it("lets exactly a report's own scripts run: 'self' and their hashes, no inline script else", async () => {
    const response = await fetch(`${server.url}/runs/${runs.stockRun}/report.html`);
    const csp = response.headers.get('content-security-policy')!;
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1].split(' ');
    expect(scriptSrc).toEqual(["'self'", ...(await reportScriptHashes())]);
    expect(scriptSrc).toHaveLength(4); // Vega, vega-embed, the embedding script
    // each inline script of the report is one the policy names
    const inline = [...(await response.text()).matchAll(/<script>([^]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
    );
    expect(inline).toEqual(scriptSrc.slice(1));
    for (const asset of ['vega.min.js', 'vega-embed.min.js', 'figures.js'])
      expect((await fetch(`${server.url}/assets/${asset}`)).headers.get('content-type')).toBe(
        'text/javascript; charset=utf-8',
      );
  });
});

describe('stagegraph serve: predicting a digit', () => {
  it('answers as `stagegraph predict` does for the same image', async () => {
    const image = await png(7);
    const response = await predict(image);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      class: string;
      top: { class: string; probability: number }[];
      probabilities: Record<string, number>;
      input: number[];
      model: string;
    };
    expect(answer.model).toBe('models/train');
    const probabilities = Object.values(answer.probabilities);
    expect(Object.keys(answer.probabilities)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(answer.class).toBe(String(probabilities.indexOf(Math.max(...probabilities))));
    expect(answer.top[0]).toEqual({ class: answer.class, probability: Math.max(...probabilities) });
    expect(answer.input).toHaveLength(784);

    const file = join(runs.dir, 'seven.png');
    await writeFile(file, image);
    const output = captureOutput();
    expect(
      await main(
        ['predict', file, '--model', join(runs.runsDir, runs.mnistRun), '--json', '--backend', 'wasm'],
        output,
      ),
    ).toBe(0);
    const [cli] = JSON.parse(output.stdout()).predictions;
    expect(answer.class).toBe(cli.class);
    for (const [name, p] of Object.entries(answer.probabilities)) expect(p).toBeCloseTo(cli.probabilities[name], 6);
  });

  it.each([
    ['an empty body', new Uint8Array(0), 400, 'upload: expected an image, got an empty body'],
    [
      'text',
      new TextEncoder().encode('not an image at all'),
      415,
      'upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else',
    ],
    [
      'a PNG signature and nothing else',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      400,
      'upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read',
    ],
    ['a blank page', null, 400, 'upload: expected a digit, got an image with no ink'],
    ['over 2 MB', new Uint8Array(2 * 1024 * 1024 + 1), 413, 'upload: expected an image of at most 2 MB, got 2.0 MB'],
  ])('refuses %s with its status and a message', async (_what, body, status, message) => {
    const blank = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const response = await predict(body ?? blank);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(message);
  });

  it('says which run or method is wrong', async () => {
    const noRun = await predict(await png(1), 'no-such-run');
    expect([noRun.status, ((await noRun.json()) as { error: string }).error]).toEqual([
      404,
      `run "no-such-run": expected a run folder in the runs folder, got none by that name (newest: ${runs.mnistRun})`,
    ]);
    const stock = await predict(await png(1), runs.stockRun);
    expect(stock.status).toBe(404);
    expect((await fetch(`${server.url}/api/predict?run=${runs.mnistRun}`)).status).toBe(405);
  });
});

describe('stagegraph serve: only the runs folder and its own assets', () => {
  it.each([
    '/runs/../run.json',
    '/runs/RUN/../../prices.csv',
    '/runs/RUN/%2e%2e/%2e%2e/prices.csv',
    '/runs/RUN/..%2f..%2fprices.csv',
    '/runs/%2e%2e/prices.csv',
    '/runs/RUN/figures/missing.png',
    '/runs/no-such-run/report.html',
    '/runs/RUN/outside',
    '/assets/..%2fpackage.json',
    '/assets/../package.json',
    '/draw?run=no-such-run',
    '/forecast?run=RUN-MNIST',
    '/etc/passwd',
    '/runs/etc-run-link/passwd',
    '/runs/etc-run-link/hostname',
    '/runs/outside-run-link/secret.txt',
    '/runs/outside-run-link/report.html',
    '/draw?run=outside-run-link',
  ])('%s: 404', async (path) => {
    await symlink(join(runs.dir, 'prices.csv'), join(runs.runsDir, runs.stockRun, 'outside')).catch(() => {});
    const response = await raw(path.replace('RUN-MNIST', runs.mnistRun).replace('RUN', runs.stockRun));
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('2020-01-01'); // the CSV's first date
  });
});

describe('stagegraph serve: what it prints', () => {
  it('never prints a stack, not even for a client that hangs up mid-file', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/runs/${runs.mnistRun}/models/train/weights.bin`, {
      signal: controller.signal,
    });
    controller.abort();
    await response.body?.cancel().catch(() => {});
    expect((await predict(await png(1), 'outside-run-link')).status).toBe(404);
    await new Promise((done) => setTimeout(done, 100)); // let the aborted stream settle
    expect(serverLog.length).toBeGreaterThan(0);
    expect(serverLog.filter((line) => /\n\s+at |ERR_STREAM/.test(line))).toEqual([]);
  });
});

describe('stagegraph serve: the command', () => {
  it('refuses a missing runs folder and a port in use with one line and exit 2', async () => {
    const missing = captureOutput();
    expect(await main(['serve', '--runs', join(runs.dir, 'nope'), '--port', '0'], missing)).toBe(2);
    expect(missing.stderr()).toMatch(
      /^error: --runs \S+nope: expected a folder of runs, got no such folder; make a run first/,
    );
    const busy = captureOutput();
    const port = new URL(server.url).port;
    expect(await main(['serve', '--runs', runs.runsDir, '--port', port, '--backend', 'wasm'], busy)).toBe(2);
    expect(busy.stderr()).toBe(
      `error: --port ${port}: expected a free port, got one in use on 127.0.0.1 (EADDRINUSE); pick another or --port 0 for any free one\n`,
    );
  });
});
