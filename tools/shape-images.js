// A sample image folder for pipelines/image-folder.json: <dir>/circle, <dir>/square and <dir>/triangle,
// each with coloured shapes on light backgrounds as PNG, JPEG and BMP files (every fourth larger).
//   node tools/shape-images.js data/shapes [--per-class 100] [--size 32] [--seed 1]
import { writeShapeImages } from '@stagegraph/preprocess';

const arg = (name, fallback) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const dir = process.argv[2];
if (!dir || dir.startsWith('--')) {
  console.error('usage: node tools/shape-images.js <dir> [--per-class 100] [--size 32] [--seed 1]');
  process.exit(2);
}
const files = await writeShapeImages(dir, {
  perClass: Number(arg('per-class', 100)),
  size: Number(arg('size', 32)),
  seed: Number(arg('seed', 1)),
});
console.log(`wrote ${files.length} images into ${dir}/{circle,square,triangle}`);
