import { tensorPort } from '@stagegraph/core-tensor/ports';
import { defineStage, isUserInputError, port } from '@stagegraph/pipeline';
import { CLASS_NAMES, IMAGE_FILES, IMAGES, ONE_HOT_LABELS } from '@stagegraph/contracts';
import { z } from 'zod';

const side = z.number().int().min(1).max(4096);
/** A share of each class: above 0 (the training validates on its part, the pipeline tests on its part), below 1. */
const fraction = z
  .number({ error: (i) => `expected a number above 0 and below 1, got ${JSON.stringify(i.input)}` })
  .gt(0, { error: (i) => `expected a number above 0 and below 1, got ${JSON.stringify(i.input)}` })
  .lt(1, { error: (i) => `expected a number above 0 and below 1, got ${JSON.stringify(i.input)}` });

const params = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'folder with one subfolder of images per class (dir/<class>/<image>), relative to the working directory',
      ),
    train: z.string().min(1).optional().describe('instead of dir: a training folder of class subfolders'),
    test: z
      .string()
      .min(1)
      .optional()
      .describe(
        "with train: a test folder of class subfolders (its classes among train's); then testFraction is not used",
      ),
    size: z
      .tuple([side, side])
      .optional()
      .describe(
        '[height, width] every image is resized to; without it, the size of the first image (scaled down to 256 px at most)',
      ),
    channels: z
      .union([z.literal(1), z.literal(3)], {
        error: (i) => `expected 1 (grey) or 3 (RGB), got ${JSON.stringify(i.input)}`,
      })
      .optional()
      .describe('1 (grey) or 3 (RGB); without it, 3 if any image has colour'),
    validationFraction: fraction.default(0.1).describe('share of each class held out to validate each epoch'),
    testFraction: fraction.default(0.2).describe('share of each class held back for the test (without a test folder)'),
    invalid: z
      .enum(['error', 'skip'])
      .default('error')
      .describe('an unreadable image file: stop the run naming it (error), or pass over it and count it (skip)'),
    maxPixels: z
      .number()
      .int()
      .min(1)
      .default(50_000_000)
      .describe('images with more pixels are refused from their header, before decoding (a decompression bomb)'),
    concurrency: z.number().int().min(1).max(64).default(8).describe('images read and decoded at a time'),
  })
  .refine((p) => p.test !== undefined || p.validationFraction + p.testFraction < 1, {
    path: ['testFraction'],
    when: (payload) => payload.issues.length === 0, // a fraction out of range is said once, by its own field
    error: (i) => {
      const p = i.input as { validationFraction: number; testFraction: number };
      return `expected validationFraction + testFraction below 1 (the rest trains), got ${p.validationFraction} + ${p.testFraction}`;
    },
  });

export const imageFolderStage = defineStage({
  type: 'preprocess.image-folder',
  version: 2, // 2: a first image larger than 256 px is scaled down for the default size
  description:
    'Your own images: a folder with one subfolder per class (PNG, JPEG, WebP, GIF, TIFF, BMP), resized to one size, pixels in [0, 1], split by class (seeded) into train, validation and test.',
  params,
  inputs: {},
  outputs: {
    xTrain: tensorPort(IMAGES),
    yTrain: tensorPort(ONE_HOT_LABELS),
    xValidation: tensorPort(IMAGES, {
      description: "validation images: wire them to the training stage's xValidation",
    }),
    yValidation: tensorPort(ONE_HOT_LABELS),
    xTest: tensorPort(IMAGES),
    yTest: tensorPort(ONE_HOT_LABELS),
    classes: port(CLASS_NAMES, { description: 'the class folders, sorted: one-hot column k is the k-th' }),
    testFiles: port(IMAGE_FILES, {
      description: "the test images' files in xTest's order; errors: unreadable files skipped (invalid: skip)",
    }),
  },
  // every image's name, class and content: editing, adding or moving one image recomputes
  async fingerprint(p, ctx) {
    const { imageFolderFingerprint } = await import('../image-folder/list-image-folders.js');
    return imageFolderFingerprint(p, ctx.workDir, 'params');
  },
  // The folders are there with class subfolders of image files: listed by name, no image read.
  async check(p, ctx) {
    const { listImageFolders } = await import('../image-folder/list-image-folders.js');
    try {
      await listImageFolders(p, ctx.workDir, ctx.paramsPath);
      return [];
    } catch (error) {
      if (!isUserInputError(error) || error.message.startsWith(ctx.paramsPath)) throw error;
      // under the param that names the folder the message starts with (dir, train or test)
      const param = (['test', 'train', 'dir'] as const).find((key) => p[key] && error.message.startsWith(`${p[key]}`));
      return [`${ctx.paramsPath}${param ? `.${param}` : ''}: ${error.message}`];
    }
  },
  async run(_inputs, p, ctx) {
    // sharp and TensorFlow.js load when the stage runs
    const { runImageFolder } = await import('../image-folder/run-image-folder.js');
    return runImageFolder(p, ctx);
  },
});
