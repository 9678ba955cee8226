import { disposeModel, loadLayersModel, selectBackend } from '@stagegraph/core-tensor';
import { assertFiniteWeights, classifyImages } from '@stagegraph/models-cnn';
import { DataError, escapeControlCharacters } from '@stagegraph/pipeline';
import { expandImagePaths, readDigitImages } from '@stagegraph/preprocess';
import { digitImagesToTensor } from '@stagegraph/preprocess/tensors';
import { EXIT_BAD_INPUT } from '../cli-error.js';
import { wholeNumberArg } from '../number-args.js';
import type { Output } from '../output.js';
import { resolveModelDir } from './model-dir.js';
import type { PredictCommandArgs } from './predict.command.js';

/** `stagegraph predict --model M files...`: the digit in each image, with the 10 probabilities. */
export async function predictAction(args: PredictCommandArgs, output: Output): Promise<number> {
  const threads = wholeNumberArg('--threads', args.threads, 1, 1024);
  const modelDir = resolveModelDir(args.model);
  const files = args.files as string[];
  const { threadsNotice } = await selectBackend(args.backend, { threads });
  if (threadsNotice) output.err(`note: ${threadsNotice}\n`);
  const model = await loadLayersModel(modelDir);
  try {
    assertFiniteWeights(model, modelDir); // before reading any image: a diverged model answers NaN for all
    const paths = await expandImagePaths(files);
    if (!paths.length)
      throw new DataError(
        `${files.join(', ')}: expected image files (.png, .jpg, .webp, .gif, .tif, .bmp), got a folder without any`,
      );
    const { files: read, pixels, errors } = await readDigitImages(paths);
    let predictions: Awaited<ReturnType<typeof classifyImages>> = [];
    if (read.length) {
      const images = digitImagesToTensor(pixels);
      try {
        predictions = await classifyImages(model, images, read, modelDir);
      } finally {
        images.dispose();
      }
    }
    if (args.json) {
      output.out(JSON.stringify({ model: modelDir, predictions, errors }, null, 2) + '\n');
    } else {
      const width = Math.max(4, ...predictions.map((p) => p.file.length));
      if (predictions.length)
        output.out(
          `${'file'.padEnd(width)}  digit  ${Array.from({ length: 10 }, (_, k) => `p${k}`.padStart(5)).join(' ')}\n`,
        );
      for (const p of predictions)
        output.out(
          `${p.file.padEnd(width)}  ${String(p.digit).padStart(5)}  ${p.probabilities.map((v) => v.toFixed(2).padStart(5)).join(' ')}\n`,
        );
    }
    for (const { error } of errors) output.err(`error: ${escapeControlCharacters(error)}\n`);
    return errors.length ? EXIT_BAD_INPUT : 0;
  } finally {
    disposeModel(model);
  }
}
