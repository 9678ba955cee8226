import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe } from '../test-support/serve-process.js';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { haveChromium, launchChromium, SCREENSHOTS } from '../test-support/chromium.js';

/**
 * The forecast page as a person sees it, in Debian's Chromium, on synthetic backtest runs (the folders
 * `npm start` leaves, written without training): the best run's models table and its backtest chart,
 * drawn interactive by the report's scripts under the app's CSP. Screenshots go to test-output/browser.
 */
const haveBrowser = haveChromium('browser-forecast.spec');

jest.setTimeout(120_000);
let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let serve: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const log: string[] = [];

(haveBrowser ? describe : describe.skip)('stagegraph serve in Chromium: the forecast page on backtest runs', () => {
  beforeAll(async () => {
    synthetic = await writeSyntheticRuns({ forecastRuns: 1, backtestRuns: 3, digitRun: false });
    await mkdir(SCREENSHOTS, { recursive: true });
    ({ serve, url } = await startServe(synthetic.runsDir, log));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
  });

  it('opens from the nav on the best backtest run and shows its models table and backtest chart', async () => {
    const [, best] = synthetic.backtestRuns;
    await page.goto(url);
    await page.click('nav a:has-text("Forecast")');
    await page.waitForURL(/\/forecast$/);
    expect(await page.locator('#why-run strong').textContent()).toBe(best);
    expect(await page.locator('#why-run').textContent()).toContain('the best of 3 stock-forecast runs by rmse');
    const rows = await page
      .locator('#models tr[data-model]')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-model'), tr.className]));
    expect(rows).toEqual([
      ['ridge-ar-5', 'model best'],
      ['drift', 'model'],
      ['persistence', 'model'],
      ['origin-recipe', 'model'],
      ['lstm-returns-features', 'not-run'],
    ]);
    expect(await page.locator('#models tr.not-run td').textContent()).toBe('a window of 400 values needs more history');
    // the run's own backtest chart, drawn from its Vega spec by /assets/figures.js
    const chart = page.locator('#figure-backtestPlot[data-interactive="true"] .chart-view svg').first();
    await chart.waitFor();
    expect(await chart.locator('path').count()).toBeGreaterThan(3);
    expect(await chart.textContent()).toContain('sp500: backtest, every model');
    await page.screenshot({ path: join(SCREENSHOTS, 'forecast-backtest.png'), fullPage: true });
  });

  it('keeps the static backtest chart with scripts off, and picks another run from the list', async () => {
    const [oldest] = synthetic.backtestRuns;
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const still = await context.newPage();
      await still.goto(`${url}/forecast`);
      const image = still.locator('#figure-backtestPlot img');
      await image.waitFor();
      expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(400);
      await still.selectOption('select[name="run"]', oldest);
      await still.click('form.picker button');
      await still.waitForURL(new RegExp(`run=${oldest}`));
      expect(await still.locator('#models tr.best td.num').first().textContent()).toBe('52');
    } finally {
      await context.close();
    }
  });

  it('still shows a single-split forecast run (stock-lstm) with its next-day forecast', async () => {
    await page.goto(`${url}/forecast?run=${synthetic.forecastRuns[0]}`);
    expect(await page.locator('#next-day').textContent()).toBe('101');
    expect(await page.locator('#models').count()).toBe(0);
    await page.locator('#figure-forecastPlot').waitFor();
  });
});
