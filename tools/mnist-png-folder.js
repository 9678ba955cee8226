// Writes MNIST digits as PNG files in the layout pipelines/image-folder.json reads: <dir>/<digit>/<index>.png
// (28x28 grey, white ink on black, exactly MNIST's pixels), the first N of the test set (or --from train).
//   node tools/mnist-png-folder.js <dir> [--count 1000] [--from test|train] [--data ../shared/data/mnist-10k]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { findMnistFiles, parseIdx } from '@stagegraph/preprocess';

const arg = (name, fallback) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const dir = process.argv[2];
const from = arg('from', 'test');
if (!dir || dir.startsWith('--') || !['test', 'train'].includes(from)) {
  console.error('usage: node tools/mnist-png-folder.js <dir> [--count 1000] [--from test|train] [--data DIR]');
  process.exit(2);
}
let files;
try {
  files = findMnistFiles(arg('data', '../shared/data/mnist-10k'));
} catch (error) {
  console.error(`error: ${error.message}`); // one line, no stack: the folder is the user's to fix
  process.exit(2);
}
const [imagesFile, labelsFile] =
  from === 'test' ? [files.testImages, files.testLabels] : [files.trainImages, files.trainLabels];
const images = parseIdx(await readFile(imagesFile), imagesFile, 3);
const labels = parseIdx(await readFile(labelsFile), labelsFile, 1);
const count = Math.min(Number(arg('count', 1000)), images.dims[0]);
const [height, width] = images.dims.slice(1);
for (let digit = 0; digit < 10; digit++) await mkdir(join(dir, String(digit)), { recursive: true });
const started = performance.now();
for (let i = 0; i < count; i++) {
  const pixels = images.data.subarray(i * height * width, (i + 1) * height * width);
  const png = await sharp(Buffer.from(pixels), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
  await writeFile(join(dir, String(labels.data[i]), `${from}-${String(i).padStart(5, '0')}.png`), png);
}
const seconds = (performance.now() - started) / 1000;
console.log(`wrote ${count} ${from} digits as PNG into ${dir}/0..9 in ${seconds.toFixed(1)} s`);
