import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { selectBackend } from '@stagegraph/core-tensor';
import { colourImage } from '../test-support/colour-images.js';
import { startServe } from '../test-support/serve-process.js';
import { COLOUR_CLASSES, writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { haveChromium, launchChromium, SCREENSHOTS } from '../test-support/chromium.js';

/**
 * The upload page as a person uses it, in Debian's Chromium, on synthetic runs (no training): a run
 * trained on a folder of RGB images answers an uploaded PNG with its class name and top 3; a digit
 * run keeps its draw page. Screenshots go to test-output/browser.
 */
const haveBrowser = haveChromium('browser-upload.spec');

jest.setTimeout(120_000);
let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let serve: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const log: string[] = [];

(haveBrowser ? describe : describe.skip)('stagegraph serve in Chromium: an image classifier of any images', () => {
  beforeAll(async () => {
    await selectBackend('cpu'); // the synthetic runs' models are made here
    synthetic = await writeSyntheticRuns({ forecastRuns: 1, colourRun: true });
    await mkdir(SCREENSHOTS, { recursive: true });
    ({ serve, url } = await startServe(synthetic.runsDir, log));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
  });

  it('uploads an RGB PNG to a run trained on a folder of images and shows its class by name, with the top 3', async () => {
    await page.goto(url);
    await page.click(`tr[data-run="${synthetic.colourRun}"] a:has-text("upload an image")`);
    await page.waitForURL(/\/upload\?run=/);
    const file = join(synthetic.dir, 'red.png');
    await writeFile(file, await colourImage('#e02020', 120, 80, 'png'));
    await page.setInputFiles('#upload', file);
    await page.waitForSelector('#app[data-answers="1"][data-state="idle"]');
    expect(await page.locator('#class').textContent()).toBe('red');
    const top = await page
      .locator('#top li')
      .evaluateAll((items) =>
        items.map((li) => [
          li.getAttribute('data-class'),
          Number(li.querySelector('.value')!.getAttribute('data-probability')),
        ]),
      );
    expect(top.map(([name]) => name)).toEqual(expect.arrayContaining(COLOUR_CLASSES));
    expect(top[0][0]).toBe('red');
    expect(top[0][1]).toBeGreaterThan(0.7);
    expect(await page.locator('#status').textContent()).toMatch(/^\d+\.\d% sure$/);
    expect(await page.locator('#preview').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'upload-rgb.png'), fullPage: true });
    // a file that is no image: the server's one line, and no stale class left shown
    await writeFile(join(synthetic.dir, 'notes.txt'), 'not an image');
    await page.setInputFiles('#upload', join(synthetic.dir, 'notes.txt'));
    await page.locator('#status', { hasText: /^error: / }).waitFor();
    expect(await page.locator('#status').textContent()).toContain(
      'upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image',
    );
    expect(await page.locator('#class').textContent()).toBe('–');
  });

  it('keeps the draw page for a digit run: a stroke is answered with a digit and its 10 bars', async () => {
    await page.goto(`${url}/draw`);
    expect(await page.locator('#app').getAttribute('data-run')).toBe(synthetic.digitRun);
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 240, { steps: 12 });
    await page.mouse.up();
    await page.waitForSelector('#app[data-answers][data-state="idle"]');
    expect(await page.locator('#digit').textContent()).toMatch(/^\d$/);
    const shown = await page
      .locator('#bars .value')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-probability'))));
    expect(shown).toHaveLength(10);
    expect(shown.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(await page.locator('#bars .bar.best').getAttribute('data-class')).toBe(
      await page.locator('#digit').textContent(),
    );
  });
});
