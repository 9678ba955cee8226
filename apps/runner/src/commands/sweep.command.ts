import type { Argv } from 'yargs';
import { backendOptions, configOptions, executorOptions, runNameOption, storeOptions } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  executorOptions(
    storeOptions(
      backendOptions(
        runNameOption(configOptions(y), 'sweep'),
        'tensor backend (default: tensorflow > wasm > cpu, the first that loads)',
      ),
      'folder for run outputs; the sweep goes in <out>/sweeps/<id>',
      'print trial events as JSON lines',
    )
      .option('jobs', {
        type: 'string',
        requiresArg: true,
        describe:
          'trials at once: locally each in its own process on one thread (default 1: one after another); with --executor bullmq, trials queued at once (default: all)',
      })
      .option('quiet', {
        alias: 'q',
        type: 'boolean',
        default: false,
        describe: 'no line per trial: the table and the best trial only',
      }),
  );
export type SweepCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph sweep <config>`. */
export const sweepCommand: CommandOf<typeof builder> = (context) => ({
  command: 'sweep <config>',
  describe: "run the trials of a config's sweep block (grid, random or successive halving) through the shared cache",
  builder,
  handler: async (args) => {
    const { sweepAction } = await import('../sweep/sweep.action.js');
    await sweepAction(args, context.output);
  },
});
