import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { saveLayersModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cli } from '../test-support/cli-in-process.js';

let dir: string;
const cwd = process.cwd();
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-predict-'));
  process.chdir(dir);
  await mkdir('images');
  await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } })
    .composite([
      {
        input: Buffer.from('<svg width="40" height="40"><rect x="16" y="5" width="8" height="30"/></svg>'),
        top: 0,
        left: 0,
      },
    ])
    .png()
    .toFile(join('images', 'one.png'));
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

/** A digit classifier of the shape predict takes (28x28x1 in, 10 probabilities out), saved to `name`. */
const saveClassifier = async (name: string, edit: (model: tf.LayersModel) => void = () => {}) => {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  edit(model);
  await saveLayersModel(model, name);
  model.dispose();
};

describe('stagegraph predict: models it must not trust', () => {
  it('refuses a model whose weights hold NaN (its training diverged), exit 2, instead of NaN probabilities', async () => {
    await saveClassifier('diverged', (model) => {
      const [kernel, bias] = model.getWeights();
      const nan = tf.fill(bias.shape, NaN);
      model.setWeights([kernel, nan]);
      nan.dispose();
    });
    const { code, out, err } = await cli('predict', 'images', '--model', 'diverged', '--json');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(
      /^error: diverged: its weights hold NaN \(in \S+\/bias\): expected finite numbers; its training diverged, retrain it\n$/,
    );
  });

  it('refuses a weights.bin longer than model.json says, naming the file and both sizes', async () => {
    await saveClassifier('padded');
    const weights = await readFile(join('padded', 'weights.bin'));
    await writeFile(join('padded', 'weights.bin'), Buffer.concat([weights, new Uint8Array(4)]));
    const { code, err } = await cli('predict', 'images', '--model', 'padded');
    expect(code).toBe(2);
    expect(err).toBe(
      `error: ${join('padded', 'weights.bin')}: expected ${weights.length} bytes (as model.json's weightsManifest says), got ${weights.length + 4}\n`,
    );
  });

  it('still predicts with a sound model', async () => {
    await saveClassifier('sound');
    const { code, out } = await cli('predict', 'images', '--model', 'sound', '--json');
    expect(code).toBe(0);
    const [prediction] = JSON.parse(out).predictions as { probabilities: Record<string, number> }[];
    expect(Object.values(prediction.probabilities)).toHaveLength(10);
    expect(Object.values(prediction.probabilities).every(Number.isFinite)).toBe(true);
  });
});
