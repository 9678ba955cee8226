import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MNIST_FILES } from '../mnist-files.js';
import { imageFolderStage } from './image-folder.stage.js';
import { mnistStage } from './mnist.stage.js';

let work: string;
const paramsPath = 'stages.data.params';
const context = () => ({ workDir: work, paramsPath });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sg-folder-check-'));
  // the check lists names only: files named as images need not be decodable
  for (const [folder, name] of [
    ['pets/cat', 'a.png'],
    ['pets/dog', 'b.jpg'],
    ['one/cat', 'a.png'],
  ]) {
    await mkdir(join(work, folder), { recursive: true });
    await writeFile(join(work, folder, name), 'not decoded');
  }
  await mkdir(join(work, 'digits'));
  for (const { name } of Object.values(MNIST_FILES).slice(1)) await writeFile(join(work, 'digits', name), '');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('preprocess.image-folder check (validate)', () => {
  const check = (params: Record<string, unknown>) =>
    imageFolderStage.check!(imageFolderStage.params.parse(params), context());

  it('passes a folder of class subfolders of image files, without reading an image', async () => {
    expect(await check({ dir: 'pets' })).toEqual([]);
  });

  it('refuses a missing folder, or one with a single class, under the param that names it', async () => {
    expect(await check({ dir: 'none' })).toEqual([
      `${paramsPath}.dir: none: expected a folder of class subfolders, got nothing there`,
    ]);
    expect(await check({ dir: 'one' })).toEqual([
      `${paramsPath}.dir: one: expected at least 2 class subfolders, got 1 (cat)`,
    ]);
    expect(await check({ train: 'pets', test: 'one/cat' })).toEqual([
      `${paramsPath}.test: one/cat: expected one subfolder of images per class, got 1 files and no subfolders`,
    ]);
  });
});

describe('preprocess.mnist check (validate)', () => {
  const check = (params: Record<string, unknown>) => mnistStage.check!(mnistStage.params.parse(params), context());

  it('names the files dataDir lacks; without dataDir there is nothing to look at before the download', async () => {
    expect(await check({ dataDir: 'digits' })).toEqual([
      `${paramsPath}.dataDir: ${join(work, 'digits')}: expected the MNIST files, missing ${MNIST_FILES.trainImages.name} (gzipped or not)`,
    ]);
    expect(await check({})).toEqual([]);
  });
});
