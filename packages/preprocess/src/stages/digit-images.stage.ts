import { resolve } from 'node:path';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { IMAGE_FILES, IMAGES } from '@stagegraph/contracts';
import { z } from 'zod';
import { expandImagePaths, readDigitImages } from '../digit-files.js';
import { digitImagesToTensor } from '../digit-tensor.js';

export const digitImagesStage = defineStage({
  type: 'preprocess.digit-images',
  version: 2,
  description:
    'Reads a folder of digit images (PNG, JPEG...) and prepares them as MNIST does: greyscale, inverted if dark on light, cropped to the ink, fitted in 20x20, centred by mass in 28x28.',
  params: z.strictObject({ dir: z.string().min(1).describe('folder of images, relative to the working directory') }),
  inputs: {},
  outputs: { images: port(IMAGES, { description: '[n, 28, 28, 1]' }), files: port(IMAGE_FILES) },
  async run(_inputs, p, ctx) {
    const { files, pixels, errors } = await readDigitImages(await expandImagePaths([resolve(ctx.workDir, p.dir)]));
    for (const { error } of errors) ctx.log(`skipped ${error}`);
    if (files.length === 0) throw new DataError(`${p.dir}: expected image files, got ${errors.length ? `${errors.length} unreadable ones` : 'none'}`);
    return { images: digitImagesToTensor(pixels), files: { files, errors } };
  },
});
