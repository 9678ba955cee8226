import { disposeModel, imageModelInfo, loadLayersModel, selectBackend } from '@stagegraph/core-tensor';
import { assertFiniteWeights, classifyImages, type FileClassification } from '@stagegraph/models-cnn';
import { DataError, escapeControlCharacters } from '@stagegraph/pipeline';
import { assertImageInput, expandImagePaths, readModelImages } from '@stagegraph/preprocess';
import { imagesToTensor } from '@stagegraph/preprocess/tensors';
import { EXIT_BAD_INPUT } from '../cli-error.js';
import { wholeNumberArg } from '../number-args.js';
import type { Output } from '../output.js';
import { imagePredictionsTable } from './image-predictions-table.js';
import { resolveModelDir } from './model-dir.js';
import type { PredictCommandArgs } from './predict.command.js';

/**
 * `stagegraph predict --model M files...`: the class of each image by the model's class names, with
 * the three likeliest. Each file becomes the model's input as the model says (imageModelInfo):
 * MNIST's digit steps for a digit model, else a resize to its input size and channels.
 */
export async function predictAction(args: PredictCommandArgs, output: Output): Promise<number> {
  const threads = wholeNumberArg('--threads', args.threads, 1, 1024);
  const modelDir = resolveModelDir(args.model);
  const files = args.files as string[];
  const { threadsNotice } = await selectBackend(args.backend, { threads });
  if (threadsNotice) output.err(`note: ${threadsNotice}\n`);
  const model = await loadLayersModel(modelDir);
  try {
    assertFiniteWeights(model, modelDir); // before reading any image: a diverged model answers NaN for all
    const info = imageModelInfo(model, modelDir);
    assertImageInput(info, modelDir);
    const paths = await expandImagePaths(files);
    if (!paths.length)
      throw new DataError(
        `${files.join(', ')}: expected image files (.png, .jpg, .webp, .gif, .tif, .bmp), got a folder without any`,
      );
    const { files: read, pixels, errors } = await readModelImages(paths, info);
    let predictions: FileClassification[] = [];
    if (read.length) {
      const images = imagesToTensor(pixels, info);
      try {
        predictions = await classifyImages(model, images, read, modelDir);
      } finally {
        images.dispose();
      }
    }
    if (args.json)
      output.out(JSON.stringify({ model: modelDir, classes: info.classNames, predictions, errors }, null, 2) + '\n');
    else output.out(imagePredictionsTable(predictions));
    for (const { error } of errors) output.err(`error: ${escapeControlCharacters(error)}\n`);
    return errors.length ? EXIT_BAD_INPUT : 0;
  } finally {
    disposeModel(model);
  }
}
