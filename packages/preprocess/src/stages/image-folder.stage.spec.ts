import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASS_NAMES, IMAGE_FILES, type ClassNames, type ImageFiles } from '@stagegraph/contracts';
import { selectBackend, tf } from '@stagegraph/core-tensor';
import { writeShapeImages } from '../image-folder/shape-images.js';
import { imageFolderStage } from './image-folder.stage.js';

let work: string;
const logs: string[] = [];
const context = (seed = 7) => ({
  stageId: 'data',
  seed,
  signal: new AbortController().signal,
  workDir: work,
  progress: () => {},
  log: (message: string) => logs.push(message),
});

interface Outputs {
  xTrain: tf.Tensor4D;
  yTrain: tf.Tensor2D;
  xValidation: tf.Tensor4D;
  yValidation: tf.Tensor2D;
  xTest: tf.Tensor4D;
  yTest: tf.Tensor2D;
  classes: ClassNames;
  testFiles: ImageFiles;
}

async function run(params: Record<string, unknown>, seed = 7): Promise<Outputs> {
  logs.length = 0;
  return (await imageFolderStage.run({}, imageFolderStage.params.parse(params), context(seed))) as Outputs;
}

const classCounts = async (y: tf.Tensor2D) => Array.from(await y.sum(0).data(), Math.round);

beforeAll(async () => {
  await selectBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'sg-image-folder-'));
  // 3 classes of 20 coloured shapes: PNG, JPEG and BMP, 16 x 16 and every fourth 24 x 24
  await writeShapeImages(join(work, 'shapes'), { perClass: 20, size: 16 });
  await writeFile(join(work, 'shapes', 'circle', 'notes.txt'), 'not an image');
  await writeFile(join(work, 'shapes', 'README.md'), 'beside the classes');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('preprocess.image-folder', () => {
  it('reads the class folders (sorted) and splits each class 70/10/20, resizing to the first image', async () => {
    expect((await readdir(join(work, 'shapes', 'square'))).filter((f) => f.endsWith('.bmp'))).toHaveLength(6);
    const out = await run({ dir: 'shapes' });
    expect(CLASS_NAMES.check?.(out.classes)).toBeUndefined();
    expect(out.classes).toEqual({ names: ['circle', 'square', 'triangle'], images: 'resized' });
    expect(out.xTrain.shape).toEqual([42, 16, 16, 3]);
    expect(out.xValidation.shape).toEqual([6, 16, 16, 3]);
    expect(out.xTest.shape).toEqual([12, 16, 16, 3]);
    expect(await classCounts(out.yTrain)).toEqual([14, 14, 14]);
    expect(await classCounts(out.yValidation)).toEqual([2, 2, 2]);
    expect(await classCounts(out.yTest)).toEqual([4, 4, 4]);
    const pixels = await out.xTrain.data();
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(logs).toEqual([
      '60 images in 3 classes: circle 20, square 20, triangle 20',
      'skipped 1 file that is not an image (shapes/circle/notes.txt)',
      'ignored 1 entry beside the class folders, in no class (shapes/README.md)',
      'images 16 x 16 x 3 (the size of the first image, shapes/circle/circle-000.png); 15 of 60 have another size and were resized to it',
      'split (seed 7, stratified by class): 42 train, 6 validation, 12 test',
      expect.stringMatching(/^decoded 60 images in \d+\.\d\d s \(\d+ images\/s, 8 at a time\)$/),
    ]);
    // the test files are named in xTest's order, as the labels say
    expect(IMAGE_FILES.check?.(out.testFiles)).toBeUndefined();
    expect(out.testFiles.files).toHaveLength(12);
    const testClasses = await out.yTest.argMax(1).data();
    out.testFiles.files.forEach((file, i) => expect(file.split('/')[1]).toBe(out.classes.names[testClasses[i]]));
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('gives the same split for the same seed and another for another seed', async () => {
    const [a, b, c] = [
      await run({ dir: 'shapes' }, 7),
      await run({ dir: 'shapes' }, 7),
      await run({ dir: 'shapes' }, 8),
    ];
    expect(a.testFiles.files).toEqual(b.testFiles.files);
    expect(await a.xTrain.data()).toEqual(await b.xTrain.data());
    expect(c.testFiles.files).not.toEqual(a.testFiles.files);
    expect(await classCounts(c.yTest)).toEqual([4, 4, 4]);
    for (const out of [a, b, c]) tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('takes size, channels and fractions from params, and a test folder of its own', async () => {
    await writeShapeImages(join(work, 'held-out'), { perClass: 5, size: 20, seed: 9 });
    const out = await run({ train: 'shapes', test: 'held-out', size: [8, 12], channels: 1, validationFraction: 0.25 });
    expect(out.xTrain.shape).toEqual([45, 8, 12, 1]);
    expect(out.xValidation.shape).toEqual([15, 8, 12, 1]);
    expect(out.xTest.shape).toEqual([15, 8, 12, 1]);
    expect(await classCounts(out.yTest)).toEqual([5, 5, 5]);
    expect(out.testFiles.files[0]).toBe('held-out/circle/circle-000.png');
    expect(logs).toContain('split (seed 7, stratified by class): 45 train, 15 validation, 15 test (the test folder)');
    expect(logs).toContainEqual(
      expect.stringMatching(/^images 8 x 12 x 1 \(params\.size\); 75 of 75 have another size/),
    );
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('reads a folder of grey images as one channel', async () => {
    for (const name of ['dark', 'light'])
      for (let i = 0; i < 3; i++) {
        await mkdir(join(work, 'grey', name), { recursive: true });
        const { default: sharp } = await import('sharp');
        const value = name === 'dark' ? 20 + i : 230 - i;
        await sharp(Buffer.alloc(36, value), { raw: { width: 6, height: 6, channels: 1 } })
          .toColourspace('b-w')
          .png()
          .toFile(join(work, 'grey', name, `${i}.png`));
      }
    const out = await run({ dir: 'grey', testFraction: 0.3, validationFraction: 0.3 });
    expect(out.xTrain.shape).toEqual([2, 6, 6, 1]);
    expect(out.xTest.shape).toEqual([2, 6, 6, 1]);
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('scales a large first image down to 256 px at most for the default size, and says so', async () => {
    const { default: sharp } = await import('sharp');
    for (const name of ['wide', 'tall']) {
      await mkdir(join(work, 'photos', name), { recursive: true });
      for (let i = 0; i < 3; i++)
        await sharp({ create: { width: 600, height: 400, channels: 3, background: name === 'wide' ? '#c00' : '#0c0' } })
          .jpeg()
          .toFile(join(work, 'photos', name, `${i}.jpg`));
    }
    const out = await run({ dir: 'photos' });
    expect(out.xTrain.shape.slice(1)).toEqual([171, 256, 3]);
    expect(logs).toContain(
      'images 171 x 256 x 3 (the size of the first image, photos/tall/0.jpg (400 x 600), scaled down to 256 px at most; set params.size to choose); 6 of 6 have another size and were resized to it',
    );
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('refuses fractions that leave no test, validation or training images, and channels other than 1 or 3', () => {
    const issue = (params: Record<string, unknown>) =>
      imageFolderStage.params
        .safeParse({ dir: 'shapes', ...params })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issue({ testFraction: 0 })).toEqual(['testFraction: expected a number above 0 and below 1, got 0']);
    expect(issue({ validationFraction: 1 })).toEqual([
      'validationFraction: expected a number above 0 and below 1, got 1',
    ]);
    expect(issue({ validationFraction: 0.5, testFraction: 0.5 })).toEqual([
      'testFraction: expected validationFraction + testFraction below 1 (the rest trains), got 0.5 + 0.5',
    ]);
    expect(
      issue({ train: 'shapes', dir: undefined, test: 'held-out', validationFraction: 0.5, testFraction: 0.5 }),
    ).toBeUndefined();
    expect(issue({ channels: 2 })).toEqual(['channels: expected 1 (grey) or 3 (RGB), got 2']);
  });

  it('warns which classes a part has no image of, links to folders not followed, and control characters escaped', async () => {
    await writeShapeImages(join(work, 'few'), { perClass: 6, size: 8 });
    await rm(join(work, 'few', 'square'), { recursive: true });
    await writeShapeImages(join(work, 'few-2'), { perClass: 2, size: 8 });
    await rm(join(work, 'few-2', 'circle'), { recursive: true });
    await rm(join(work, 'few-2', 'triangle'), { recursive: true });
    await cp(join(work, 'few-2', 'square'), join(work, 'few', 'sq\nerror: fake'), { recursive: true });
    await symlink('..', join(work, 'few', 'circle', 'up')); // a loop: would read every class again as circle
    await mkdir(join(work, 'few', '__MACOSX', 'circle'), { recursive: true });
    const out = await run({ dir: 'few' });
    expect(logs).toContain('14 images in 3 classes: circle 6, "sq\\x0aerror: fake" 2, triangle 6');
    expect(logs).toContain(
      'warning: no validation image of 1 class ("sq\\x0aerror: fake"): too few images (a class needs 3 for one in each part)',
    );
    expect(logs).toContain('skipped 1 link to a folder inside a class folder, not followed (few/circle/up)');
    expect(logs).toContainEqual(
      expect.stringMatching(/^ignored 1 entry beside the class folders, in no class \(few\/__MACOSX\)$/),
    );
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('changes its cache key when one image changes, and not otherwise', async () => {
    const key = () =>
      imageFolderStage.fingerprint!(imageFolderStage.params.parse({ dir: 'shapes' }), { workDir: work });
    const first = await key();
    expect(await key()).toBe(first);
    await writeShapeImages(join(work, 'shapes'), { perClass: 1, size: 16, seed: 99 }); // rewrites each class's 000 image
    expect(await key()).not.toBe(first);
  });

  it('stops at an unreadable image naming it, or passes over it and counts it with invalid: "skip"', async () => {
    await writeShapeImages(join(work, 'broken'), { perClass: 4, size: 8 });
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    await writeFile(join(work, 'broken', 'square', 'zz-bad.png'), garbage);
    await expect(run({ dir: 'broken' })).rejects.toThrow(
      /^broken\/square\/zz-bad\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read/,
    );
    const out = await run({ dir: 'broken', invalid: 'skip', testFraction: 0.25 });
    expect(out.xTrain.shape[0] + out.xValidation.shape[0] + out.xTest.shape[0]).toBe(12);
    expect(out.testFiles.errors).toEqual([
      { file: 'broken/square/zz-bad.png', error: expect.stringMatching(/^broken\/square\/zz-bad\.png: /) },
    ]);
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^skipped 1 unreadable image \(invalid: "skip"\); the first: broken\/square\/zz-bad\.png: /,
      ),
    );
    tf.dispose(Object.values(out).filter((v) => v instanceof tf.Tensor));
  });

  it('refuses, one line each: no folder, an empty folder, one class, a class without images, dir with train', async () => {
    await mkdir(join(work, 'empty'));
    await mkdir(join(work, 'one', 'cats'), { recursive: true });
    await writeShapeImages(join(work, 'one-empty'), { perClass: 2, size: 8 });
    await rm(join(work, 'one-empty', 'square'), { recursive: true });
    await mkdir(join(work, 'one-empty', 'square'));
    await writeFile(join(work, 'one-empty', 'square', 'notes.txt'), 'no images here');
    await writeShapeImages(join(work, 'one', 'cats'), { perClass: 1, size: 8 });
    const refusals: [Record<string, unknown>, string][] = [
      [{ dir: 'nowhere' }, 'nowhere: expected a folder of class subfolders, got nothing there'],
      [{ dir: 'empty' }, 'empty: expected one subfolder of images per class, got an empty folder'],
      [{ dir: 'one' }, 'one: expected at least 2 class subfolders, got 1 (cats)'],
      [
        { dir: 'one-empty' },
        'one-empty/square: expected image files (.png, .jpg, .jpeg, .webp, .gif, .tif, .tiff or .bmp), got none (1 other file)',
      ],
      [{ dir: 'shapes', train: 'shapes' }, 'data.params: expected dir, or train (with test or not), got dir and train'],
      [{}, 'data.params.dir: expected a folder of class subfolders (or train and test), got none'],
    ];
    for (const [params, message] of refusals) await expect(run(params)).rejects.toThrow(message);
  });
});
