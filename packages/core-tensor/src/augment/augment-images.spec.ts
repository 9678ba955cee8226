import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import { selectBackend } from '../backend.js';
import { tensorCount } from '../memory.js';
import * as tf from '../tf.js';
import { affineTransforms } from './affine-transforms.js';
import { augmentImages } from './augment-images.js';
import type { AugmentOptions } from './augment-options.js';

/** Three different 12x10 images with 2 channels: a bar per image and a ramp, so every transform shows. */
const pixels = (() => {
  const [n, h, w, c] = [3, 12, 10, 2];
  const values = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        values[((i * h + y) * w + x) * c] = x >= 2 + i && x < 5 + i && y > 2 && y < 10 ? 1 : 0;
        values[((i * h + y) * w + x) * c + 1] = 0.25 + (x + y) / (2 * (w + h));
      }
  return { values, shape: [n, h, w, c] as [number, number, number, number] };
})();

const everything: AugmentOptions = { translate: 0.2, rotate: 25, zoom: 0.2, flip: true, contrast: 0.4 };

async function augmentOn(backend: 'cpu' | 'wasm', options: AugmentOptions, seed = 5): Promise<Float32Array> {
  await selectBackend(backend);
  const images = tf.tensor4d(pixels.values, pixels.shape);
  const out = augmentImages(images, options, new SeededRandom(seed));
  const values = (await out.data()) as Float32Array;
  tf.dispose([images, out]);
  return values;
}

const worstDifference = (a: Float32Array, b: Float32Array) => a.reduce((w, v, i) => Math.max(w, Math.abs(v - b[i])), 0);

/** A generator stub whose every draw is `value`: ranges then give their upper end (or lower, near 0). */
const fixed = (value: number) => ({ next: () => value }) as unknown as SeededRandom;

/** Where the transform row `row` samples the output pixel (x, y) from. */
const source = (row: Float32Array, x: number, y: number) => [
  row[0] * x + row[1] * y + row[2],
  row[3] * x + row[4] * y + row[5],
];

describe('affineTransforms', () => {
  it('is the identity when every part is off, and draws the same numbers either way', () => {
    const random = new SeededRandom(1);
    expect(Array.from(affineTransforms(1, 28, 28, {}, random), (v) => v + 0)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    const after = random.next();
    const again = new SeededRandom(1);
    affineTransforms(1, 28, 28, everything, again);
    expect(again.next()).toBe(after); // turning a part on or off never shifts later draws
  });

  it('shifts, rotates, zooms and mirrors about the image centre', () => {
    // every draw at the top of its range: shift +2 px (0.2 of 10), no flip (draw >= 0.5)
    const shift = affineTransforms(1, 10, 10, { translate: 0.2 }, fixed(1));
    expect(source(shift, 6, 7)).toEqual([4, 5]); // output (6, 7) shows input (4, 5): moved right and down
    const [cx, cy] = [4.5, 4.5];
    const quarter = affineTransforms(1, 10, 10, { rotate: 90 }, fixed(1));
    const [x, y] = source(quarter, cx + 2, cy); // 2 px right of the centre
    expect(x).toBeCloseTo(cx, 5);
    expect(Math.abs(y - cy)).toBeCloseTo(2, 5); // comes from 2 px above or below it
    const zoomIn = affineTransforms(1, 10, 10, { zoom: 0.25 }, fixed(1)); // scale 1.25
    expect(source(zoomIn, cx + 2.5, cy)[0]).toBeCloseTo(cx + 2, 5);
    const mirrored = affineTransforms(1, 10, 10, { flip: true }, fixed(0)); // draw < 0.5: flip
    expect(source(mirrored, 0, 3)).toEqual([9, 3]);
  });
});

describe('augmentImages', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('gives the same images on cpu and wasm (each image its own transform), and none at all when off', async () => {
    const onCpu = await augmentOn('cpu', everything);
    const onWasm = await augmentOn('wasm', everything);
    expect(worstDifference(onCpu, onWasm)).toBeLessThan(1e-5);
    expect(worstDifference(onWasm, pixels.values)).toBeGreaterThan(0.5);
    const black = { ...everything, fill: 'constant' } as const;
    expect(worstDifference(await augmentOn('cpu', black), await augmentOn('wasm', black))).toBeLessThan(1e-5);
    expect(worstDifference(await augmentOn('wasm', {}), pixels.values)).toBe(0);
  });

  it('repeats with the same seed and differs with another; every image gets its own draw', async () => {
    const first = await augmentOn('wasm', everything, 7);
    expect(worstDifference(first, await augmentOn('wasm', everything, 7))).toBe(0);
    expect(worstDifference(first, await augmentOn('wasm', everything, 8))).toBeGreaterThan(0.1);
    // the same image three times comes out three different ways
    const same = tf.tile(tf.tensor4d(pixels.values.slice(0, 240), [1, 12, 10, 2]), [3, 1, 1, 1]) as tf.Tensor4D;
    const out = augmentImages(same, { rotate: 30, translate: 0.2 }, new SeededRandom(3));
    const images = tf.unstack(out);
    const [a, b, c] = (await Promise.all(images.map((t) => t.data()))) as Float32Array[];
    expect(worstDifference(a, b)).toBeGreaterThan(0.1);
    expect(worstDifference(b, c)).toBeGreaterThan(0.1);
    tf.dispose([same, out, ...images]);
  });

  it('changes contrast about each image and channel mean, clipped to [0, 1]', async () => {
    await selectBackend('wasm');
    const ramp = tf.tensor4d(pixels.values, pixels.shape);
    const out = augmentImages(ramp, { contrast: 0.5 }, new SeededRandom(2));
    // channel 1 is a ramp well inside [0, 1]: scaled about its mean, the mean stays where it was
    const [before, after] = await Promise.all(
      [ramp, out].map((t) => t.slice([0, 0, 0, 1], [-1, -1, -1, 1]).mean([1, 2]).data()),
    );
    expect(worstDifference(after as Float32Array, before as Float32Array)).toBeLessThan(1e-5);
    const [min, max] = await Promise.all([out.min().data(), out.max().data()]);
    expect(min[0]).toBeGreaterThanOrEqual(0);
    expect(max[0]).toBeLessThanOrEqual(1);
    expect(worstDifference((await out.data()) as Float32Array, pixels.values)).toBeGreaterThan(0.05);
    tf.dispose([ramp, out]);
  });

  it("offers no 'reflect' fill: tfjs' wasm Transform kernel gets it wrong left of the image", async () => {
    // a row 1..6 shifted right by 2: TensorFlow's reflect gives 2 1 | 1 2 3 4 (the cpu kernel agrees)
    const shifted = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend);
      const row = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 6, 1]);
      const shift = tf.tensor2d([[1, 0, -2, 0, 1, 0, 0, 0]]);
      const out = tf.image.transform(row, shift, 'bilinear', 'reflect');
      const values = Array.from(await out.data());
      tf.dispose([row, shift, out]);
      return values;
    };
    expect(await shifted('cpu')).toEqual([2, 1, 1, 2, 3, 4]);
    // when this fails, tfjs has fixed the kernel: offer 'reflect' (Keras' default) in AugmentOptions.fill
    expect(await shifted('wasm')).not.toEqual([2, 1, 1, 2, 3, 4]);
  });

  it("runs on wasm's own Transform kernel, keeps the pixels in the backend and leaks no tensors", async () => {
    await selectBackend('wasm');
    const stock = tf.getKernel('Transform', 'wasm');
    expect(stock).toBeDefined(); // the wasm backend has its own kernel: no fallback to read pixels into JavaScript
    let calls = 0;
    tf.unregisterKernel('Transform', 'wasm');
    tf.registerKernel({ ...stock!, kernelFunc: (args) => (calls++, stock!.kernelFunc(args)) });
    try {
      const backend = tf.backend();
      const reads = [jest.spyOn(backend, 'readSync'), jest.spyOn(backend, 'read')];
      const images = tf.tensor4d(pixels.values, pixels.shape);
      const before = tensorCount();
      const out = augmentImages(images, everything, new SeededRandom(1));
      expect(calls).toBe(1); // one call for the whole batch
      expect(reads.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
      expect(tensorCount()).toBe(before + 1);
      tf.dispose([images, out]);
    } finally {
      tf.unregisterKernel('Transform', 'wasm');
      tf.registerKernel(stock!);
    }
  });
});
