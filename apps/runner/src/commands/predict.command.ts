import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { backendOptions, jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  jsonOption(
    backendOptions(
      y
        .positional('files', {
          type: 'string',
          array: true,
          demandOption: true,
          describe:
            'image files (PNG, JPEG, WebP, GIF, TIFF) or folders of them; for a table model, one table file (CSV, TSV, JSON, Parquet, Arrow)',
        })
        .option('model', {
          type: 'string',
          requiresArg: true,
          demandOption: true,
          describe:
            'a run folder (a table run: its best model), a model folder, its model.json or table-model.json; `latest`: the newest run with an image or table model in --runs',
        })
        .option('runs', {
          type: 'string',
          requiresArg: true,
          default: 'runs',
          describe: 'the folder of runs `--model latest` looks in',
        })
        .option('out', {
          type: 'string',
          requiresArg: true,
          describe:
            'table models: write the rows with their predictions to this .csv or .json file (default: CSV on stdout)',
        }),
      'tensor backend for predictions',
    ),
  );
export type PredictCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph predict <files..> --model M`. */
export const predictCommand: CommandOf<typeof builder> = (context) => ({
  command: 'predict <files..>',
  describe:
    "predict with a trained model: the class of each image file (its name and the three likeliest), or a table run's label for a file of rows",
  builder,
  handler: async (args) => {
    if (args.model === 'latest') {
      const { latestModelRun } = await import('./latest-model-run.js');
      args.model = await latestModelRun(args.runs);
      context.output.err(`note: --model latest: ${args.model}, the newest run with an image or table model\n`);
    } else if (!existsSync(args.model)) {
      const { namedModelRun } = await import('./latest-model-run.js');
      args.model = (await namedModelRun(args.runs, args.model)) ?? args.model; // a run's name, as the runs commands take
    }
    const table = (await import('./table-model-dir.js')).tableModelDir(args.model);
    if (table) {
      const { tablesPredictAction } = await import('./tables-predict.action.js');
      context.exitCode = await tablesPredictAction(args, table, context.output);
      return;
    }
    // a wrong --model (or --out for images) is refused before TensorFlow.js loads
    const { refuseOutForImages, resolveModelDir } = await import('./model-dir.js');
    resolveModelDir(args.model);
    refuseOutForImages(args.out, args.model);
    const { predictAction } = await import('./predict.action.js');
    context.exitCode = await predictAction(args, context.output);
  },
});
