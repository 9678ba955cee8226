// End-to-end check of `stagegraph predict`: writes MNIST test images as PNG files the way people
// draw digits (40-160 px, up to 15 px of margin on each side, so off-centre), in three styles:
// black ink on white, white ink on black, black ink on a transparent page. Predicts each folder
// through the CLI and compares with the same model's accuracy on the same images as tensors.
//   node tools/mnist-png-check.js --model runs/<run> --data ../shared/data/mnist-10k [--count 1000] [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { findMnistFiles } from '@stagegraph/preprocess';
import { readImageSplit } from '@stagegraph/preprocess/tensors';
import { loadLayersModel, SeededRandom, selectBackend, tf } from '@stagegraph/core-tensor';

const arg = (name, fallback) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const model = arg('model');
const count = Number(arg('count', 1000));
const out = arg('out', mkdtempSync(join(tmpdir(), 'mnist-png-')));
if (!model) throw new Error('--model is required');

const STYLES = {
  'black-on-white': { ink: (v) => [0, 0, 0, v], paper: { r: 255, g: 255, b: 255, alpha: 1 } },
  'white-on-black': { ink: (v) => [255, 255, 255, v], paper: { r: 0, g: 0, b: 0, alpha: 1 } },
  'black-on-transparent': { ink: (v) => [0, 0, 0, v], paper: { r: 0, g: 0, b: 0, alpha: 0 } },
};

await selectBackend('wasm');
const files = findMnistFiles(arg('data', '../shared/data/mnist-10k'));
const { images, labels } = await readImageSplit(files.testImages, files.testLabels, count);
const pixels = await images.data();
const classes = await labels.argMax(1).data();
let tensorAccuracy; // once predict has said which model.json the --model path names
for (const [style, { ink, paper }] of Object.entries(STYLES)) {
  const dir = join(out, style);
  mkdirSync(dir, { recursive: true });
  const random = new SeededRandom(1); // the same sizes and margins in every style
  for (let i = 0; i < count; i++) {
    const size = 40 + random.nextInt(121); // 40 .. 160 px
    const [left, top, right, bottom] = [random.nextInt(16), random.nextInt(16), random.nextInt(16), random.nextInt(16)];
    // the digit as ink with coverage in alpha, scaled up with sharp's default (anti-aliased) kernel
    const rgba = Buffer.from(
      Array.from(pixels.subarray(i * 784, (i + 1) * 784)).flatMap((v) => ink(Math.round(v * 255))),
    );
    const digit = await sharp(rgba, { raw: { width: 28, height: 28, channels: 4 } })
      .resize(size, size)
      .png()
      .toBuffer();
    await sharp({ create: { width: size + left + right, height: size + top + bottom, channels: 4, background: paper } })
      .composite([{ input: digit, left, top }])
      .png()
      .toFile(join(dir, `${String(i).padStart(5, '0')}-label${classes[i]}.png`));
  }
  const result = JSON.parse(
    execFileSync(process.execPath, ['apps/runner/bin/stagegraph.js', 'predict', '--model', model, '--json', dir], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  );
  if (tensorAccuracy === undefined) {
    const loaded = await loadLayersModel(result.model);
    const predicted = await tf.tidy(() => loaded.predict(images, { batchSize: 256 }).argMax(1)).data();
    tensorAccuracy = predicted.filter((digit, i) => digit === classes[i]).length / count;
    console.log(`same ${count} test images as tensors: accuracy ${tensorAccuracy.toFixed(4)}`);
  }
  const correct = result.predictions.filter((p) => p.file.endsWith(`label${p.digit}.png`)).length;
  const points = ((correct / count - tensorAccuracy) * 100).toFixed(2);
  console.log(
    `${style.padEnd(21)} PNG files in ${dir}: accuracy ${(correct / count).toFixed(4)} (${points} points; ${result.errors.length} errors)`,
  );
}
