import { resolve } from 'node:path';
import { tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { IMAGE_FILES, IMAGES } from '@stagegraph/contracts';
import { z } from 'zod';

export const digitImagesStage = defineStage({
  type: 'preprocess.digit-images',
  version: 2,
  description:
    'Reads a folder of digit images (PNG, JPEG...) and prepares them as MNIST does: greyscale, inverted if dark on light, cropped to the ink, fitted in 20x20, centred by mass in 28x28.',
  params: z.strictObject({ dir: z.string().min(1).describe('folder of images, relative to the working directory') }),
  inputs: {},
  outputs: { images: tensorPort(IMAGES, { description: '[n, 28, 28, 1]' }), files: port(IMAGE_FILES) },
  async run(_inputs, p, ctx) {
    // sharp and TensorFlow.js load when the stage runs
    const [{ expandImagePaths, readDigitImages }, { digitImagesToTensor }] = await Promise.all([
      import('../digit-files.js'),
      import('../digit-tensor.js'),
    ]);
    const { files, pixels, errors } = await readDigitImages(await expandImagePaths([resolve(ctx.workDir, p.dir)]));
    for (const { error } of errors) ctx.log(`skipped ${error}`);
    if (files.length === 0)
      throw new DataError(
        `${p.dir}: expected image files, got ${errors.length ? `${errors.length} unreadable ones` : 'none'}`,
      );
    return { images: digitImagesToTensor(pixels), files: { files, errors } };
  },
});
