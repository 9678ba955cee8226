import type { Argv } from 'yargs';
import { backendOptions, configOptions, executorOptions, runNameOption, storeOptions } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  executorOptions(
    storeOptions(
      backendOptions(
        runNameOption(configOptions(y), 'run'),
        'tensor backend (default: tensorflow > wasm > cpu, the first that loads)',
      ),
      'folder for run outputs',
      'print events as JSON lines',
    )
      .option('cache', {
        type: 'boolean',
        default: true,
        describe: 'reuse cached results (--no-cache recomputes every stage and refreshes the cache)',
      })
      .option('jobs', {
        type: 'string',
        requiresArg: true,
        describe: 'at most this many stages at once (default: all that are ready)',
      })
      .option('quiet', {
        alias: 'q',
        type: 'boolean',
        default: false,
        describe: 'no progress: the summary and metrics only',
      }),
  );
export type RunCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph run <config>`. */
export const runCommand: CommandOf<typeof builder> = (context) => ({
  command: 'run <config>',
  describe: 'run a pipeline, reusing cached stage results',
  builder,
  handler: async (args) => {
    const { runAction } = await import('./run.action.js');
    await runAction(args, context.output);
  },
});
