// `node tools/bench/image-decode.js [--quick]` (also part of `npm run bench`): how fast
// preprocess.image-folder reads a folder (headers, then decoding and resizing through the one image
// decoder), in images/s, with 1 and 8 files at a time: small PNGs (28x28, PNG only, as MNIST digits
// written out) and larger RGB JPEGs (256x256 and 384x384, resized to 64x64).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (pkg, entry) => pathToFileURL(join(here, '..', '..', 'packages', pkg, 'dist', `${entry}.js`)).href;

/** Reads the folder with the stage, `concurrency` at a time; images/s from the stage's own decode line. */
async function readFolder(workDir, params) {
  const { imageFolderStage } = await import(dist('preprocess', 'tensor-stages'));
  const { selectBackend, tf } = await import(dist('core-tensor', 'index'));
  await selectBackend('cpu'); // only to hold the tensors the stage makes: decoding is sharp's
  const lines = [];
  const ctx = {
    stageId: 'data',
    seed: 1,
    signal: new AbortController().signal,
    workDir,
    progress() {},
    log: (l) => lines.push(l),
  };
  const started = performance.now();
  const out = await imageFolderStage.run({}, imageFolderStage.params.parse(params), ctx);
  const seconds = (performance.now() - started) / 1000;
  tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  const decode = lines.find((l) => l.startsWith('decoded '));
  return { decodeImagesPerSecond: Number(/\((\d+) images\/s/.exec(decode)[1]), stageSeconds: seconds };
}

export async function measureImageDecode({ quick = false } = {}) {
  const { writeShapeImages } = await import(dist('preprocess', 'index'));
  const work = mkdtempSync(join(tmpdir(), 'sg-bench-decode-'));
  try {
    const cases = [
      { label: '28x28 PNG', perClass: quick ? 100 : 1000, size: 28, formats: ['png'], params: {} },
      {
        label: '256px JPEG -> 64x64',
        perClass: quick ? 30 : 200,
        size: 256,
        formats: ['jpg'],
        params: { size: [64, 64] },
      },
    ];
    const results = [];
    for (const c of cases) {
      const dir = join(work, c.label.replace(/\W+/g, '-'));
      await writeShapeImages(dir, { perClass: c.perClass, size: c.size, formats: c.formats });
      for (const concurrency of [1, 8]) {
        const r = await readFolder(work, { dir, ...c.params, concurrency });
        results.push({ case: c.label, images: 3 * c.perClass, concurrency, ...r });
        console.log(
          `decode     ${`${c.label}, ${3 * c.perClass} images, ${concurrency} at a time`.padEnd(44)} ${String(r.decodeImagesPerSecond).padStart(6)} images/s  (stage ${r.stageSeconds.toFixed(1)} s)`,
        );
      }
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href)
  await measureImageDecode({ quick: process.argv.includes('--quick') });
