import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { SeededRandom } from '@stagegraph/core-tensor';
import { drawDigit } from '../test-support/generated-digits.js';
import { makeServedRuns } from '../test-support/served-runs.js';
import { startServe } from '../test-support/serve-process.js';
import { listRuns } from '../runs/run-index.js';
import { haveChromium, launchChromium, SCREENSHOTS } from '../test-support/chromium.js';

/**
 * The web app as a person uses it: the built CLI serves a runs folder, Debian's Chromium draws on
 * the canvas with the mouse, uploads files and opens reports. Screenshots go to test-output/browser.
 * SG_BROWSER_RUNS=<runs folder> serves existing runs instead (say, a model trained on real MNIST).
 */
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const haveBrowser = haveChromium('browser.spec');
// the live view runs the pipeline the served runs were made from: runs from SG_BROWSER_RUNS come without one
const servesOwnRuns = !process.env.SG_BROWSER_RUNS;
if (haveBrowser && !servesOwnRuns)
  console.warn(
    'browser.spec: "shows a run in progress live" skipped: SG_BROWSER_RUNS serves runs made elsewhere, with no pipeline here to run',
  );

jest.setTimeout(240_000);
let made: Awaited<ReturnType<typeof makeServedRuns>> | undefined;
let runsDir: string;
let serve: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const log: string[] = [];

(haveBrowser ? describe : describe.skip)('stagegraph serve in Chromium', () => {
  beforeAll(async () => {
    if (process.env.SG_BROWSER_RUNS) runsDir = process.env.SG_BROWSER_RUNS;
    else runsDir = (made = await makeServedRuns({ digitsPerClass: 100, epochs: 8 })).runsDir;
    await mkdir(SCREENSHOTS, { recursive: true });
    ({ serve, url } = await startServe(runsDir, log));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    if (made) await rm(made.dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and lists the runs', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await page.goto(url);
    expect(await page.locator('table.runs tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'runs.png'), fullPage: true });
  });

  const shownProbabilities = () =>
    page.locator('#bars .value').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-probability'))));

  /** Draws polylines with the mouse at a person's pace, each point relative to the 280x280 canvas. */
  async function draw(
    strokes: [number, number][][],
  ): Promise<{ digit: number; probabilities: number[]; answers: number }> {
    const box = (await page.locator('#pad').boundingBox())!;
    const answersBefore = Number((await page.locator('#app').getAttribute('data-answers')) ?? 0);
    for (const points of strokes) {
      await page.mouse.move(box.x + points[0][0], box.y + points[0][1]);
      await page.mouse.down();
      for (const [x, y] of points.slice(1)) {
        await page.mouse.move(box.x + x, box.y + y, { steps: 12 });
        await page.waitForTimeout(150);
      }
      await page.mouse.up();
    }
    await page.waitForSelector('#app[data-state="idle"]');
    const probabilities = await shownProbabilities();
    const answers = Number(await page.locator('#app').getAttribute('data-answers')) - answersBefore;
    return { digit: Number(await page.locator('#digit').textContent()), probabilities, answers };
  }

  it.each([
    [
      '1',
      1,
      [
        [
          [140, 35],
          [142, 140],
          [140, 245],
        ],
      ],
    ],
    [
      '7',
      7,
      [
        [
          [60, 50],
          [140, 48],
          [215, 50],
          [170, 140],
          [125, 245],
        ],
      ],
    ],
  ] as const)(
    'recognises a drawn %s, with probabilities summing to 1, updating while drawing',
    async (name, expected, strokes) => {
      await page.goto(`${url}/draw`);
      const result = await draw(strokes.map((s) => s.map((p) => [p[0], p[1]] as [number, number])));
      await page.screenshot({ path: join(SCREENSHOTS, `draw-${name}.png`) });
      log.push(
        `drew ${name}: answered ${result.digit}, p = [${result.probabilities.map((p) => p.toFixed(3)).join(', ')}]\n`,
      );
      expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(result.digit).toBe(result.probabilities.indexOf(Math.max(...result.probabilities)));
      expect(result.answers).toBeGreaterThanOrEqual(2); // answers came while the stroke went on
      expect(result.digit).toBe(expected);
      await page.click('#clear');
      expect(await page.locator('#digit').textContent()).toBe('–');
    },
  );

  it('predicts an uploaded image, and says what is wrong with a file that is not one', async () => {
    await page.goto(`${url}/draw`);
    const dir = join(SCREENSHOTS, '..', 'uploads');
    await mkdir(dir, { recursive: true });
    const three = await sharp(await drawDigit(3, new SeededRandom(3), 28, false), {
      raw: { width: 28, height: 28, channels: 1 },
    })
      .resize(200, 200)
      .png()
      .toBuffer();
    await writeFile(join(dir, 'three.png'), three);
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    await page.setInputFiles('#upload', join(dir, 'three.png'));
    await page.waitForSelector('#app[data-answers="1"][data-state="idle"]'); // the page's first answer
    const probabilities = await shownProbabilities();
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(await page.locator('#digit').textContent()).toBe('3');
    await page.setInputFiles('#upload', join(dir, 'notes.txt'));
    await page.locator('#status', { hasText: /^error: / }).waitFor();
    expect(await page.locator('#status').textContent()).toContain(
      'upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else',
    );
  });

  /** The newest run of the kind. */
  const newestRun = async (kind: 'mnist-cnn' | 'stock-lstm') =>
    (await listRuns(runsDir)).runs.find((r) => (kind === 'mnist-cnn' ? r.imageModels : r.forecastFigures).length)!.id;

  it.each(['mnist-cnn', 'stock-lstm'] as const)(
    'opens the %s report with every figure drawn, each once, interactive where it has a spec',
    async (kind) => {
      const run = await newestRun(kind);
      await page.goto(`${url}/runs/${run}/report.html`);
      await page.waitForSelector('body[data-figures="ready"]');
      const figures = await page.locator('figure').evaluateAll((els) =>
        els.map((figure) => {
          const svg = figure.querySelector('.chart-view svg')!.getBoundingClientRect();
          const images = Array.from(
            figure.querySelectorAll('image'),
            (image) => (image as unknown as { getBBox(): { width: number } }).getBBox().width,
          );
          return {
            id: figure.id,
            interactive: (figure as unknown as { dataset: Record<string, string | undefined> }).dataset.interactive,
            width: svg.width,
            height: svg.height,
            marks: figure.querySelectorAll(
              '.chart-view svg path, .chart-view svg rect, .chart-view svg line, .chart-view svg image',
            ).length,
            images,
          };
        }),
      );
      const record = JSON.parse(await readFile(join(runsDir, run, 'run.json'), 'utf8'));
      const names = (record.figures as string[])
        .filter((f) => f.endsWith('.svg'))
        .map((f) => f.slice('figures/'.length, -'.svg'.length));
      expect(figures.map((f) => f.id).sort()).toEqual(names.map((name) => `figure-${name}`).sort()); // each figure once
      const text = await page.locator('body').innerText();
      const figureText = (await page.locator('figure').allInnerTexts()).join('\n');
      for (const name of names) {
        const { title } = JSON.parse(await readFile(join(runsDir, run, 'figures', `${name}.figure.json`), 'utf8'));
        expect(figureText.split(title).length - 1).toBe(1); // titled once: in the chart, with no caption repeating it
        const hasSpec = existsSync(join(runsDir, run, 'figures', `${name}.vl.json`));
        expect(figures.find((f) => f.id === `figure-${name}`)!.interactive).toBe(hasSpec ? 'true' : undefined);
      }
      for (const f of figures) {
        expect(f.width).toBeGreaterThan(200);
        expect(f.height).toBeGreaterThan(100);
        // charts draw marks; image grids are embedded PNGs that must have a size once decoded
        if (f.images.length) expect(Math.min(...f.images)).toBeGreaterThan(0);
        else expect(f.marks).toBeGreaterThan(3);
      }
      if (kind === 'mnist-cnn') {
        // the confusion matrix is the figure's, not also a table of numbers
        expect(await page.locator('table.matrix').count()).toBe(0);
        expect(text).toContain('confusionMatrix: drawn in Confusion matrix');
      }
      expect(await page.locator('.metadata').textContent()).toMatch(
        /git commit.*backend.*thread.*machine.*@stagegraph\/pipeline/s,
      );
      await page.screenshot({ path: join(SCREENSHOTS, `report-${kind}.png`), fullPage: true });
    },
  );

  it('shows the forecast value under the pointer in a tooltip, and downloads the predictions as CSV', async () => {
    const run = await newestRun('stock-lstm');
    await page.goto(`${url}/runs/${run}/report.html`);
    await page.waitForSelector('body[data-figures="ready"]');
    const chart = page.locator('#figure-forecastPlot[data-interactive="true"] .chart-view svg').first();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    const tooltip = page.locator('#vg-tooltip-element.visible');
    await tooltip.waitFor();
    const shown = await tooltip.textContent();
    expect(shown).toMatch(/^date.+actual[-\d.,−]+predicted[-\d.,−]+actual - predicted[-\d.,−]+$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-stock-tooltip.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#figure-forecastPlot a', { hasText: 'predictions (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('forecastPlot.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    const metrics = JSON.parse(await readFile(join(runsDir, run, 'metrics.json'), 'utf8'));
    expect(lines[0]).toBe('date,actual,predicted,error');
    expect(lines).toHaveLength(metrics.n + 1); // a row per test date
    const rows = lines.slice(1).map((line) => line.split(',').map(Number));
    // the rows are the run's predictions: their RMSE is the report's
    expect(Math.sqrt(rows.reduce((sum, r) => sum + r[3] ** 2, 0) / rows.length)).toBeCloseTo(metrics.rmse, 6);
  });

  it('keeps the static figures when scripts are off', async () => {
    const run = await newestRun('stock-lstm');
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const still = await context.newPage();
      await still.goto(`${url}/runs/${run}/report.html`);
      const figures = await still
        .locator('figure')
        .evaluateAll((els) =>
          els.map((f) => [
            (f as unknown as { dataset: Record<string, string | undefined> }).dataset.interactive ?? 'static',
            f.querySelectorAll('.chart-view svg path').length,
          ]),
        );
      expect(figures.length).toBeGreaterThan(0);
      for (const [state, paths] of figures) {
        expect(state).toBe('static');
        expect(paths).toBeGreaterThan(3);
      }
    } finally {
      await context.close();
    }
  });

  it('shows the forecast chart and the next-day forecast', async () => {
    await page.goto(`${url}/forecast`);
    expect(await page.locator('#next-day').textContent()).toMatch(/^[\d.e+-]+$/);
    // the chart drawn interactive by the report's scripts, served from /assets under the app's CSP
    const chart = page.locator('figure.chart[data-interactive="true"] .chart-view svg').first();
    await chart.waitFor();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.locator('#vg-tooltip-element.visible', { hasText: 'predicted' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'forecast.png'), fullPage: true });
    await writeFile(join(SCREENSHOTS, 'serve.log'), log.join(''));
  });

  it('sorts and filters the runs, and compares ticked runs: metrics side by side, training curves overlaid', async () => {
    await page.goto(url);
    expect(await page.locator('table.sweeps tbody tr').count()).toBeGreaterThanOrEqual(1);
    const visible = () => page.locator('#runs tbody tr:visible').count();
    const all = await visible();
    await page.fill('#filter', 'mnist');
    expect(await visible()).toBeLessThan(all);
    expect(await page.locator('#runs tbody tr:visible td:nth-child(3)').allTextContents()).toEqual(
      expect.arrayContaining(['mnist-cnn']),
    );
    await page.fill('#filter', '');
    expect(await visible()).toBe(all);
    // sort by duration, both ways: the script reorders the rows
    const durations = () =>
      page
        .locator('#runs tbody tr td:nth-child(7)')
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    await page.click('#runs th:has-text("duration")');
    const ascending = await durations();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.click('#runs th:has-text("duration")');
    const descending = await durations();
    expect(descending).toEqual([...ascending].reverse());
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-page.png'), fullPage: true });
    // tick the sweep's two trials and compare them
    const trials = page.locator('#runs tbody tr', { hasText: 'trial' });
    expect(await trials.count()).toBe(2);
    for (let i = 0; i < 2; i++) await trials.nth(i).locator('input[type=checkbox]').check();
    await page.click('button:has-text("Compare ticked runs")');
    await page.waitForURL(/\/compare\?run=/);
    expect(await page.locator('h1').textContent()).toBe('Compare 2 runs');
    expect(await page.locator('#metrics tbody tr', { hasText: 'rmse' }).first().locator('td').count()).toBe(2);
    expect(await page.locator('table.compare').first().textContent()).toContain('stages.train.params.units');
    // one loss curve per run, a point per epoch, each with its tooltip
    const series = await page.locator('figure svg g.series').evaluateAll((gs) =>
      gs.map((g) => ({
        name: g.getAttribute('data-series'),
        points: g.querySelectorAll('circle').length,
        tip: g.querySelector('title')?.textContent,
      })),
    );
    expect(series.filter((s) => s.name!.endsWith(' loss'))).toHaveLength(2);
    for (const s of series.filter((s) => s.name!.endsWith(' loss'))) expect(s.points).toBe(3);
    expect(series[0].tip).toMatch(/epoch 1, loss [\d.e-]+$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: true });
  });

  it("charts a sweep's objective against its param, each point linking to its trial's report", async () => {
    await page.goto(url);
    await page.click('table.sweeps a');
    const points = page.locator('.charts svg circle');
    expect(await points.count()).toBe(2);
    expect(await points.first().locator('title').textContent()).toMatch(/^trial \d: units [35], rmse [\d.]+$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'sweep.png'), fullPage: true });
    await page.locator('.charts svg a').first().click();
    await page.waitForURL(/\/runs\/tiny-stock-[^/]+\/report\.html$/);
  });

  (servesOwnRuns ? it : it.skip)('shows a run in progress live, with its stage and epoch', async () => {
    if (!made) throw new Error('the served runs were not made here');
    await page.goto(url);
    const child = spawn(
      process.execPath,
      [
        join(appDir, 'bin', 'stagegraph.js'),
        'run',
        made.pipelineFile,
        '--backend',
        'cpu',
        '--no-cache',
        '--out',
        runsDir,
        '--cache-dir',
        made.cacheDir,
        '--set',
        'stages.train.params.epochs=400',
        '--set',
        'stages.train.params.patience=0',
      ],
      { stdio: 'ignore' },
    );
    try {
      await page
        .locator('#live li', { hasText: /tiny-stock: \d+\/11 stages done; running train epoch \d+\/400 loss [\d.e-]+/ })
        .waitFor({ timeout: 120_000 });
      await page.screenshot({ path: join(SCREENSHOTS, 'live.png'), fullPage: true });
    } finally {
      child.kill('SIGTERM');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    // cancelled: it leaves no run and the live line goes
    await page.locator('#live li', { hasText: 'tiny-stock' }).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const own = await startServe(runsDir, log); // its own server: the others' stays up whatever the order
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      own.serve.once('exit', (code, signal) => resolve({ code, signal })),
    );
    own.serve.kill('SIGTERM');
    // a code and no signal: its own handler ran and it closed; the log says why if not
    expect({ ...(await exited), log: log.join('').slice(-2000) }).toMatchObject({ code: 0, signal: null });
  });
});
