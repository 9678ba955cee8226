import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@stagegraph/pipeline';
import { selectBackend } from './backend.js';
import { tensorCount } from './memory.js';
import { modelCodec } from './lazy-model-codec.js';
import { tensorCodec } from './tensor-codec.js';
import * as tf from './tf.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-codec-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tensorCodec', () => {
  it.each(['float32', 'int32', 'bool'] as const)('round-trips a %s tensor', async (dtype) => {
    const before = tensorCount();
    const tensor = tf.tensor(
      [
        [1, 0, 3],
        [4, 5, 0],
      ],
      [2, 3],
      dtype,
    );
    await tensorCodec.save(tensor, dir, `t-${dtype}`);
    const loaded = await tensorCodec.load(dir, `t-${dtype}`);
    expect(loaded.dtype).toBe(dtype);
    expect(loaded.shape).toEqual([2, 3]);
    expect(await loaded.array()).toEqual(await tensor.array());
    tf.dispose([tensor, loaded]);
    expect(tensorCount()).toBe(before);
  });

  it('refuses a file whose length does not match its header', async () => {
    const tensor = tf.ones([4]);
    await tensorCodec.save(tensor, dir, 'short');
    tensor.dispose();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'short.bin'), new Uint8Array(8));
    await expect(tensorCodec.load(dir, 'short')).rejects.toThrow('short.bin holds 2 values, header says 4');
  });
});

describe('modelCodec', () => {
  it('writes the standard layers format and loads the same model back', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 1 })],
    });
    const files = await modelCodec.save(model, dir, 'model');
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['model/model.json', 'model/weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await modelCodec.load(dir, 'model');
    const input = tf.tensor2d([
      [0.5, -1],
      [2, 3],
    ]);
    const a = model.predict(input) as tf.Tensor;
    const b = loaded.predict(input) as tf.Tensor;
    expect(await b.array()).toEqual(await a.array());
    tf.dispose([input, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('refuses a weights file longer or shorter than model.json says, naming it with both sizes', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] }); // 2x3 kernel + 3 bias: 36 bytes
    await modelCodec.save(model, dir, 'sized');
    model.dispose();
    const file = join(dir, 'sized', 'weights.bin');
    const weights = await readFile(file);
    await writeFile(file, Buffer.concat([weights, new Uint8Array(8)]));
    await expect(modelCodec.load(dir, 'sized')).rejects.toThrow(
      new DataError(`${file}: expected 36 bytes (as model.json's weightsManifest says), got 44`),
    );
    await writeFile(file, weights.subarray(0, 32));
    await expect(modelCodec.load(dir, 'sized')).rejects.toThrow(
      new DataError(`${file}: expected 36 bytes (as model.json's weightsManifest says), got 32`),
    );
  });

  it.each([
    [
      'a path out of the folder',
      (m: ModelJson) => (m.weightsManifest[0].paths = ['../../../../../../../../etc/hostname']),
      'a weights file that cannot be used: "../../../../../../../../etc/hostname" is not a path inside the model\'s folder',
    ],
    [
      'an absolute path',
      (m: ModelJson) => (m.weightsManifest[0].paths = ['/dev/zero']),
      'a weights file that cannot be used: "/dev/zero" is not a path inside the model\'s folder',
    ],
  ])('refuses %s in the weights manifest without reading it', async (_what, edit, got) => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });
    await modelCodec.save(model, dir, 'escaping');
    model.dispose();
    const file = join(dir, 'escaping', 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
    edit(json);
    await writeFile(file, JSON.stringify(json));
    await expect(modelCodec.load(dir, 'escaping')).rejects.toThrow(
      `${file}: expected a TensorFlow.js layers model (model.json with modelTopology and weightsManifest), got ${got}`,
    );
  });

  it('refuses weights that link out of the folder, and a FIFO, without blocking on it', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });
    await modelCodec.save(model, dir, 'linked');
    model.dispose();
    const weights = join(dir, 'linked', 'weights.bin');
    await writeFile(join(dir, 'outside.bin'), await readFile(weights));
    await rm(weights);
    await symlink(join(dir, 'outside.bin'), weights);
    await expect(modelCodec.load(dir, 'linked')).rejects.toThrow(
      "a weights file that cannot be used: weights.bin links out of the model's folder",
    );
    await rm(weights);
    execFileSync('mkfifo', [weights]);
    await expect(modelCodec.load(dir, 'linked')).rejects.toThrow(
      'a weights file that cannot be used: weights.bin is not a regular file',
    );
  });
});

interface ModelJson {
  weightsManifest: { paths: string[] }[];
}
