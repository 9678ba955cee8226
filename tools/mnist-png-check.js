// End-to-end check of `stagegraph predict`: writes MNIST test images as PNG files the way people
// draw digits (black ink on white, off-centre, various sizes), predicts them with a trained model
// and compares with the labels and with the model's accuracy on the same images as tensors.
//   node tools/mnist-png-check.js --model runs/<run> --data ../shared/data/mnist-10k [--count 1000] [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { findMnistFiles, readImageSplit } from '@stagegraph/preprocess';
import { loadLayersModel, SeededRandom, selectBackend, tf } from '@stagegraph/core-tensor';

const arg = (name, fallback) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback);
const model = arg('model');
const count = Number(arg('count', 1000));
const out = arg('out', mkdtempSync(join(tmpdir(), 'mnist-png-')));
if (!model) throw new Error('--model is required');
mkdirSync(out, { recursive: true });

await selectBackend('wasm');
const files = findMnistFiles(arg('data', '../shared/data/mnist-10k'));
const { images, labels } = await readImageSplit(files.testImages, files.testLabels, count);
const pixels = await images.data();
const classes = await labels.argMax(1).data();
const random = new SeededRandom(1);
for (let i = 0; i < count; i++) {
  const size = 28 * (1 + random.nextInt(7)); // 28 .. 196 px digits
  const canvas = size + 20 + random.nextInt(size); // on a larger white canvas, off-centre
  const ink = Buffer.from(Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => 255 - Math.round(v * 255)));
  const digit = await sharp(ink, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(size, size)
    .png()
    .toBuffer();
  await sharp({ create: { width: canvas, height: canvas, channels: 3, background: '#ffffff' } })
    .composite([{ input: digit, left: random.nextInt(canvas - size), top: random.nextInt(canvas - size) }])
    .png()
    .toFile(join(out, `${String(i).padStart(5, '0')}-label${classes[i]}.png`));
}
const result = JSON.parse(execFileSync(process.execPath, ['apps/runner/bin/stagegraph.js', 'predict', '--model', model, '--json', out], { encoding: 'utf8', maxBuffer: 1 << 28 }));
const correct = result.predictions.filter((p) => p.file.endsWith(`label${p.digit}.png`)).length;
const loaded = await loadLayersModel(result.model);
const predicted = await tf.tidy(() => loaded.predict(images, { batchSize: 256 }).argMax(1)).data();
const tensorCorrect = predicted.filter((digit, i) => digit === classes[i]).length;
console.log(`same ${count} test images as tensors: accuracy ${(tensorCorrect / count).toFixed(4)}`);
console.log(`as PNG files in ${out} (black on white, 28-196 px, off-centre): accuracy ${(correct / count).toFixed(4)} (${correct} correct, ${result.errors.length} errors)`);
