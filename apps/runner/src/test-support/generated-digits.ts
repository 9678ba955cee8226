import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { SeededRandom } from '@stagegraph/core-tensor';
import { encodeIdx } from '@stagegraph/preprocess';

// small enough to train in seconds, big enough to tell drawn strokes apart; pipelines default to the origin CNN
export const SMALL_DIGIT_NETWORK = JSON.stringify([
  { type: 'conv2d', filters: 8, kernelSize: 5 },
  { type: 'maxPooling2d' },
  { type: 'conv2d', filters: 16, kernelSize: 3 },
  { type: 'maxPooling2d' },
  { type: 'flatten' },
  { type: 'dense', units: 10, activation: 'softmax' },
]);

/** `--set` arguments that train stage `stage` as the small network, quickly, on generated digits. */
export const smallDigitTraining = (stage: string, epochs: number) => [
  '--set',
  `stages.${stage}.params.layers=${SMALL_DIGIT_NETWORK}`,
  '--set',
  `stages.${stage}.params.epochs=${epochs}`,
  '--set',
  `stages.${stage}.params.learningRate=0.005`,
];

const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];

/** A digit drawn as text: a random font, weight, size, slant and offset, light on dark, 28x28 greyscale. */
export async function drawDigit(digit: number, random: SeededRandom, size = 28, lightOnDark = true): Promise<Buffer> {
  const font = FONTS[random.nextInt(FONTS.length)];
  const weight = random.next() < 0.5 ? 'bold' : 'normal';
  const fontSize = 0.65 * size + random.next() * 0.2 * size;
  const dx = (random.next() - 0.5) * 0.15 * size;
  const dy = (random.next() - 0.5) * 0.15 * size;
  const angle = (random.next() - 0.5) * 20;
  const [paper, ink] = lightOnDark ? ['black', 'white'] : ['white', 'black'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${paper}"/><text x="${size / 2 + dx}" y="${size * 0.78 + dy}" font-family="${font}" font-weight="${weight}" font-size="${fontSize}" text-anchor="middle" fill="${ink}" transform="rotate(${angle} ${size / 2} ${size / 2})">${digit}</text></svg>`;
  return sharp(Buffer.from(svg))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => Buffer.from(Uint8Array.from({ length: size * size }, (_, i) => data[i * info.channels])));
}

/** MNIST-format files of generated digits: `train` and `test` images per class, gzipped IDX. */
export async function writeGeneratedMnist(
  dir: string,
  perClass: { train: number; test: number },
  seed = 1,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const random = new SeededRandom(seed);
  for (const [split, count, prefix] of [
    ['train', perClass.train, 'train'],
    ['test', perClass.test, 't10k'],
  ] as const) {
    const labels = Array.from({ length: 10 * count }, (_, i) => i % 10);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    const images = await Promise.all(labels.map((digit) => drawDigit(digit, random)));
    await writeFile(
      join(dir, `${prefix}-images-idx3-ubyte.gz`),
      gzipSync(encodeIdx([labels.length, 28, 28], Buffer.concat(images))),
    );
    await writeFile(
      join(dir, `${prefix}-labels-idx1-ubyte.gz`),
      gzipSync(encodeIdx([labels.length], Uint8Array.from(labels))),
    );
    void split;
  }
}
