import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeShapeImages } from '@stagegraph/preprocess';
import { cli } from './test-support/cli-in-process.js';
import { startServe } from './test-support/serve-process.js';
import { useTempWorkdir } from './test-support/temp-workdir.js';
import { newestRun } from './test-support/tiny-pipeline.js';
import { haveChromium, launchChromium } from './test-support/chromium.js';

/**
 * A run trained on an RGB folder (48x48 shapes, some 72x72, PNG and JPEG), then used as a person
 * would: `stagegraph predict` on a JPEG prints a folder name with probabilities, and the served
 * upload page answers an uploaded JPEG with a folder name (in Debian's Chromium).
 */
const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'image-folder.json');
const haveBrowser = haveChromium('cli-image-folder-use.spec');
const SHAPES = ['circle', 'square', 'triangle'];
let runDir: string;
let jpeg: string;

jest.setTimeout(180_000);

useTempWorkdir('sg-image-folder-use-');
beforeAll(async () => {
  await writeShapeImages('shapes', { perClass: 16, size: 48, formats: ['png', 'jpg'] });
  // a picture the model has not seen: another seed's JPEG square
  [jpeg] = (await writeShapeImages('new', { perClass: 2, size: 48, formats: ['jpg'], seed: 9 })).filter((f) =>
    f.includes('square'),
  );
  const { code, err } = await cli(
    'run',
    pipelineFile,
    '--backend',
    'wasm',
    '--set',
    'stages.data.params.dir=shapes',
    '--set',
    'stages.train.params.epochs=2',
  );
  if (code !== 0) throw new Error(`training failed (${code}): ${err}`);
  runDir = resolve((await newestRun()).dir);
});

describe('a run trained on a folder of RGB images, used', () => {
  it('stagegraph predict on a JPEG prints a folder name and the top 3 with probabilities', async () => {
    const text = await cli('predict', '--model', runDir, jpeg);
    expect(text.code).toBe(0);
    const [header, row] = text.out.trim().split('\n');
    expect(header).toMatch(/^file\s+class\s+top 3 \(class probability\)$/);
    const [file, name, ...top] = row.split(/,?\s+/);
    expect(file).toBe(jpeg); // as given
    expect(SHAPES).toContain(name);
    expect(top[0]).toBe(name); // the likeliest class leads the top 3
    expect(top.filter((_, i) => i % 2 === 0).sort()).toEqual(SHAPES);

    const json = await cli('predict', '--model', runDir, jpeg, '--json');
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.out);
    expect(answer.classes).toEqual(SHAPES);
    const [prediction] = answer.predictions;
    expect(prediction.class).toBe(name);
    const probabilities = Object.values(prediction.probabilities) as number[];
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.probabilities[name]).toBe(Math.max(...probabilities));
  });

  (haveBrowser ? it : it.skip)('stagegraph serve: an uploaded JPEG is answered with a folder name', async () => {
    const log: string[] = [];
    let serve: ChildProcess | undefined;
    const browser = await launchChromium();
    try {
      let url: string;
      ({ serve, url } = await startServe(dirname(runDir), log));
      const page = await browser.newPage();
      await page.goto(url);
      await page.click(`tr[data-run="${basename(runDir)}"] a:has-text("upload an image")`);
      await page.waitForURL(/\/upload\?run=/);
      await page.setInputFiles('#upload', jpeg);
      await page.waitForSelector('#app[data-answers="1"][data-state="idle"]');
      expect(SHAPES).toContain(await page.locator('#class').textContent());
      const top = await page
        .locator('#top li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-class')));
      expect(top.sort()).toEqual(SHAPES);
    } finally {
      await browser.close();
      serve?.kill('SIGTERM');
    }
  });
});
