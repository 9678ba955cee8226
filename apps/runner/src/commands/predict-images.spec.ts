import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { saveLayersModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../test-support/cli-in-process.js';
import { colourImage } from '../test-support/colour-images.js';
import { largeDigitPng } from '../test-support/image-bombs.js';
import { COLOUR_CLASSES, writeSyntheticRuns } from '../test-support/synthetic-runs.js';

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let images: string;
beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 0, colourRun: true });
  images = join(synthetic.dir, 'images');
  await mkdir(images);
  await writeFile(join(images, 'a-red.png'), await colourImage('#e02020', 40, 30, 'png'));
  await writeFile(join(images, 'b-green.jpg'), await colourImage('#20c020', 64, 64, 'jpeg'));
  await writeFile(join(images, 'c-blue.webp'), await colourImage('#2020e0', 8, 12, 'webp'));
});
afterAll(async () => {
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

const colourRun = () => join(synthetic.runsDir, synthetic.colourRun!);
const file = (name: string) => join(images, name);

interface Predicted {
  file: string;
  class: string;
  label: number;
  top: { class: string; probability: number }[];
  probabilities: Record<string, number>;
}

describe('stagegraph predict follows the model: class names, input size and channels', () => {
  it("prints each file's class by name and its top 3 with probabilities (RGB images of any size and format)", async () => {
    const { code, out, err } = await cli('predict', '--model', colourRun(), '--backend', 'cpu', images);
    expect([code, err]).toEqual([0, '']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^file +class +top 3 \(class probability\)$/);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/).slice(1, 2)[0])).toEqual(['red', 'green', 'blue']);
    expect(lines[1]).toMatch(/ red +red 0\.\d\d, (green|blue) 0\.\d\d, (green|blue) 0\.\d\d$/);
  });

  it('reads a folder laid out by class (nested folders), passing over dot-names', async () => {
    const byClass = join(synthetic.dir, 'by-class');
    await mkdir(join(byClass, 'red', 'more'), { recursive: true });
    await mkdir(join(byClass, 'blue'));
    await mkdir(join(byClass, '.hidden'));
    await writeFile(join(byClass, 'red', 'r.png'), await colourImage('#e02020', 20, 20, 'png'));
    await writeFile(join(byClass, 'red', 'more', 'r2.jpg'), await colourImage('#e02020', 20, 20, 'jpeg'));
    await writeFile(join(byClass, 'blue', 'b.png'), await colourImage('#2020e0', 20, 20, 'png'));
    await writeFile(join(byClass, '.hidden', 'h.png'), await colourImage('#20c020', 20, 20, 'png'));
    const { code, out } = await cli('predict', '--model', colourRun(), '--backend', 'cpu', '--json', byClass);
    expect(code).toBe(0);
    const { predictions } = JSON.parse(out) as { predictions: Predicted[] };
    expect(predictions.map((p) => [p.file.slice(byClass.length + 1), p.class])).toEqual([
      ['blue/b.png', 'blue'],
      ['red/more/r2.jpg', 'red'],
      ['red/r.png', 'red'],
    ]);
  });

  it('answers --json with the class, the top 3 and every probability by name', async () => {
    const { code, out } = await cli(
      'predict',
      '--model',
      colourRun(),
      '--json',
      file('c-blue.webp'),
      file('a-red.png'),
    );
    expect(code).toBe(0);
    const result = JSON.parse(out) as { classes: string[]; predictions: Predicted[]; errors: unknown[] };
    expect(result.classes).toEqual(COLOUR_CLASSES);
    expect(result.errors).toEqual([]);
    const [blue, red] = result.predictions;
    expect([blue.file, blue.class, blue.label, red.class, red.label]).toEqual([
      file('c-blue.webp'),
      'blue',
      2,
      'red',
      0,
    ]);
    expect(blue.top.map((t) => t.class)[0]).toBe('blue');
    expect(blue.top).toHaveLength(3);
    expect(Object.keys(blue.probabilities).sort()).toEqual([...COLOUR_CLASSES].sort());
    expect(blue.top[0].probability).toBe(blue.probabilities.blue);
    expect(blue.probabilities.blue).toBeGreaterThan(0.7);
  });

  it('reports an unreadable file on its own line with exit 2, and still predicts the others', async () => {
    await writeFile(file('broken.png'), 'not an image');
    try {
      const { code, out, err } = await cli('predict', '--model', colourRun(), file('broken.png'), file('a-red.png'));
      expect(code).toBe(2);
      expect(out.split('\n')[1]).toMatch(/a-red\.png +red /);
      expect(err).toBe(
        `error: ${file('broken.png')}: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else\n`,
      );
    } finally {
      await rm(file('broken.png'));
    }
  });

  it("keeps a digit model's output readable: MNIST's steps, the digit as its class, the top 3 digits", async () => {
    await writeFile(file('digit.png'), await largeDigitPng(90));
    try {
      const model = join(synthetic.runsDir, synthetic.digitRun!);
      const { code, out } = await cli('predict', '--model', model, file('digit.png'));
      expect(code).toBe(0);
      expect(out).toMatch(
        /^file +class +top 3 \(class probability\)\n\S+digit\.png +\d +\d 0\.\d\d, \d 0\.\d\d, \d 0\.\d\d\n$/,
      );
      const json = JSON.parse((await cli('predict', '--model', model, '--json', file('digit.png'))).out);
      expect(json.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      expect(json.predictions[0].class).toBe(String(json.predictions[0].label));
    } finally {
      await rm(file('digit.png'));
    }
  });

  it('refuses, before reading any image, a model whose input no image file can be made into (4 channels)', async () => {
    const dir = join(synthetic.dir, 'rgba-model');
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [8, 8, 4] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
    });
    await saveLayersModel(model, dir);
    model.dispose();
    const { code, out, err } = await cli('predict', '--model', dir, file('a-red.png'));
    expect([code, out]).toEqual([2, '']);
    expect(err).toBe(`error: ${dir}: expected an input of 1 (grey) or 3 (RGB) channels, got 8x8x4\n`);
  });
});
