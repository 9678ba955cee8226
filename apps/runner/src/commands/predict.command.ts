import type { Argv } from 'yargs';
import { backendOptions, jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  jsonOption(
    backendOptions(
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'PNG/JPEG files or folders' })
        .option('model', {
          type: 'string',
          requiresArg: true,
          demandOption: true,
          describe: 'a run folder, a model folder or its model.json',
        }),
      'tensor backend for predictions',
    ),
  );
export type PredictCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph predict <files..> --model M`. */
export const predictCommand: CommandOf<typeof builder> = (context) => ({
  command: 'predict <files..>',
  describe: 'predict the digit in image files (or folders of them) with a trained model',
  builder,
  handler: async (args) => {
    // a wrong --model is refused before TensorFlow.js loads
    (await import('./model-dir.js')).resolveModelDir(args.model);
    const { predictAction } = await import('./predict.action.js');
    context.exitCode = await predictAction(args, context.output);
  },
});
