import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { writeShapeImages } from '@stagegraph/preprocess';
import { cli } from './test-support/cli-in-process.js';
import { useTempWorkdir } from './test-support/temp-workdir.js';
import { newestRun } from './test-support/tiny-pipeline.js';

const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'image-folder.json');
/** The run on the sample folder, made before any test so each test stands alone (jest --randomize). */
let first: { code: number; out: string; err: string; run: Awaited<ReturnType<typeof newestRun>> };

const run = (folder: string, ...extra: string[]) =>
  cli(
    'run',
    pipelineFile,
    '--backend',
    'wasm',
    '--set',
    `stages.data.params.dir=${folder}`,
    '--set',
    'stages.train.params.epochs=1',
    ...extra,
  );

/** A PNG signature and an IHDR chunk declaring width x height, written by hand: a few dozen bytes, no pixels. */
function pngDeclaring(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const typed = Buffer.concat([Buffer.from('IHDR', 'ascii'), data]);
  const [length, crc] = [Buffer.alloc(4), Buffer.alloc(4)];
  length.writeUInt32BE(13);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), length, typed, crc]);
}

useTempWorkdir('sg-image-folder-e2e-');
beforeAll(async () => {
  // 3 classes x 10 tiny images, PNG, JPEG and BMP, 16 x 16 and some 24 x 24; a file that is not an image
  await writeShapeImages('shapes', { perClass: 10, size: 16 });
  await writeFile(join('shapes', 'square', 'notes.txt'), 'not an image');
  first = { ...(await run('shapes')), run: await newestRun() };
});

jest.setTimeout(180_000);

describe('pipelines/image-folder.json on a generated folder of shapes', () => {
  it('trains on the folder and writes metrics over the held-back images and the figures', async () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const { dir: runDir, metrics } = first.run;
    expect(metrics.n).toBe(6); // 2 of each class's 10 held back
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.perClass).toHaveLength(3);
    expect(metrics.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(6);
    for (const figure of ['curves', 'confusion', 'misclassified'])
      expect(existsSync(join(runDir, 'figures', `${figure}.svg`))).toBe(true);
  });

  it('names the classes by folder in the metrics and on the confusion matrix', async () => {
    const { dir: runDir, metrics } = first.run;
    expect(metrics.classes).toEqual(['circle', 'square', 'triangle']);
    expect(metrics.perClass.map((c: { class: string }) => c.class)).toEqual(['circle', 'square', 'triangle']);
    const confusion = await readFile(join(runDir, 'figures', 'confusion.svg'), 'utf8');
    for (const name of ['circle', 'square', 'triangle']) expect(confusion).toContain(`>${name}</text>`);
  });

  it('logs the classes with their counts, the size, what was skipped and the split', () => {
    expect(first.out).toContain('data: 30 images in 3 classes: circle 10, square 10, triangle 10\n');
    expect(first.out).toContain('data: skipped 1 file that is not an image (shapes/square/notes.txt)\n');
    expect(first.out).toMatch(
      /^data: images 16 x 16 x 3 \(the size of the first image, shapes\/circle\/circle-000\.png\); 6 of 30 have another size and were resized to it$/m,
    );
    expect(first.out).toMatch(/^data: split \(seed \d+, stratified by class\): 21 train, 3 validation, 6 test$/m);
  });

  it('stores the folder names as the class names in the saved model', async () => {
    const model = JSON.parse(await readFile(join(first.run.dir, 'models', 'train', 'model.json'), 'utf8'));
    expect(model.userDefinedMetadata.classes).toEqual({ names: ['circle', 'square', 'triangle'], images: 'resized' });
    // the last dense layer took its units from the classes
    expect(model.modelTopology.config.layers.at(-1).config.units).toBe(3);
  });
});

describe('bad image folders through the CLI: exit 2, one line naming the folder or file', () => {
  const refused = async (folder: string) => {
    const { code, out, err } = await run(folder);
    expect(code).toBe(2);
    expect(err.split('\n')).toHaveLength(2); // one line and its newline
    return { out, err: err.replace(/^error: stages\.data \(preprocess\.image-folder\): /, '') };
  };

  it('an empty folder', async () => {
    await mkdir('bad-empty');
    expect((await refused('bad-empty')).err).toBe(
      'bad-empty: expected one subfolder of images per class, got an empty folder\n',
    );
  });

  it('one class only', async () => {
    await writeShapeImages('bad-one/all', { perClass: 2, size: 8 });
    await rm('bad-one/all/square', { recursive: true });
    await rm('bad-one/all/triangle', { recursive: true });
    expect((await refused('bad-one/all')).err).toBe(
      'bad-one/all: expected at least 2 class subfolders, got 1 (circle)\n',
    );
  });

  it('a class folder with no images', async () => {
    await writeShapeImages('bad-class', { perClass: 2, size: 8 });
    await rm('bad-class/triangle', { recursive: true });
    await mkdir('bad-class/triangle');
    await writeFile('bad-class/triangle/readme.txt', 'to do');
    expect((await refused('bad-class')).err).toBe(
      'bad-class/triangle: expected image files (.png, .jpg, .jpeg, .webp, .gif, .tif, .tiff or .bmp), got none (1 other file)\n',
    );
  });

  it('an unreadable image (a .png of garbage), or the rest read without it with invalid: "skip"', async () => {
    await writeShapeImages('bad-file', { perClass: 4, size: 8 });
    const garbage = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(100, 3),
    ]);
    await writeFile('bad-file/square/broken.png', garbage);
    expect((await refused('bad-file')).err).toMatch(
      /^bad-file\/square\/broken\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read \(.+\)\n$/,
    );
    const skipped = await run('bad-file', '--set', 'stages.data.params.invalid=skip');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(
      /^data: skipped 1 unreadable image \(invalid: "skip"\); the first: bad-file\/square\/broken\.png: /m,
    );
  });

  it('a PNG whose header declares 30000 x 30000 pixels, refused from the header (the file has no pixels)', async () => {
    await writeShapeImages('bad-bomb', { perClass: 2, size: 8 });
    await writeFile('bad-bomb/circle/huge.png', pngDeclaring(30000, 30000));
    expect((await refused('bad-bomb')).err).toBe(
      'bad-bomb/circle/huge.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most 50000000 pixels, got 30000 x 30000\n',
    );
  });
});
