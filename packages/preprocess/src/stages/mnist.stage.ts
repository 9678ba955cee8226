import { resolve } from 'node:path';
import { tensorPort } from '@stagegraph/core-tensor/ports';
import { defineStage, isUserInputError, port, readDataFile, sha256 } from '@stagegraph/pipeline';
import { CLASS_NAMES, IMAGES, numberedClassNames, ONE_HOT_LABELS } from '@stagegraph/contracts';
import { z } from 'zod';
import { downloadMnist, findMnistFiles, MNIST_FILES } from '../mnist-files.js';

const params = z.strictObject({
  dataDir: z
    .string()
    .optional()
    .describe('folder with the four MNIST files (gzipped or not); without it they are downloaded into data/mnist'),
  trainLimit: z.number().int().min(1).optional().describe('use only the first N training images'),
  testLimit: z.number().int().min(1).optional().describe('use only the first N test images'),
});

export const mnistStage = defineStage({
  type: 'preprocess.mnist',
  version: 2,
  description:
    'MNIST from IDX files: images scaled to [0, 1] as [n, 28, 28, 1], labels one-hot. Downloads the standard files (checksummed) when no dataDir is given.',
  params,
  inputs: {},
  outputs: {
    xTrain: tensorPort(IMAGES),
    yTrain: tensorPort(ONE_HOT_LABELS),
    xTest: tensorPort(IMAGES),
    yTest: tensorPort(ONE_HOT_LABELS),
    classes: port(CLASS_NAMES, { description: 'the digits "0" to "9", read as MNIST digits at predict time' }),
  },
  // The files' content is part of the key. Planning never touches the network: downloaded files
  // are pinned by their published MD5s (run() checks them), so those stand for their content.
  async fingerprint(p, ctx) {
    if (!p.dataDir)
      return sha256(
        Object.values(MNIST_FILES)
          .map(({ name, md5 }) => `${name}=${md5}`)
          .join(':'),
      );
    const files = findMnistFiles(resolve(ctx.workDir, p.dataDir));
    const hashes = await Promise.all(
      Object.values(files).map(async (file) => sha256(await readDataFile(file, 'an MNIST file'))),
    );
    return sha256(hashes.join(':'));
  },
  // The four files are in dataDir (without it, run() downloads them: nothing to look at yet).
  async check(p, ctx) {
    if (p.dataDir === undefined) return [];
    try {
      findMnistFiles(resolve(ctx.workDir, p.dataDir));
      return [];
    } catch (error) {
      if (!isUserInputError(error)) throw error;
      return [`${ctx.paramsPath}.dataDir: ${error.message}`];
    }
  },
  async run(_inputs, p, ctx) {
    const files = p.dataDir
      ? findMnistFiles(resolve(ctx.workDir, p.dataDir))
      : await downloadMnist(resolve(ctx.workDir, 'data/mnist'), { log: ctx.log });
    const { readMnist } = await import('../mnist-dataset.js'); // with TensorFlow.js
    const { train, test } = await readMnist(files, { train: p.trainLimit, test: p.testLimit });
    ctx.log(`${train.images.shape[0]} training and ${test.images.shape[0]} test images`);
    return {
      xTrain: train.images,
      yTrain: train.labels,
      xTest: test.images,
      yTest: test.labels,
      classes: { names: numberedClassNames(10), images: 'mnist-digits' as const },
    };
  },
});
