import type { Argv } from 'yargs';
import type { ArgsOf, CommandOf } from '../command-context.js';
import { tableOptions } from './table-options.js';

const builder = (y: Argv) =>
  tableOptions(y)
    .positional('runs', { type: 'string', array: true, default: [] as string[] })
    .option('sweep', { type: 'string', requiresArg: true, describe: 'a sweep id, or latest' });
export type RunsCompareArgs = ArgsOf<typeof builder>;

/** `stagegraph runs compare [runs..] [--sweep ID]`. */
export const runsCompareCommand: CommandOf<typeof builder> = (context) => ({
  command: 'compare [runs..]',
  describe: "runs side by side (default: the newest five), or a sweep's trials by its objective",
  builder,
  handler: async (args) => {
    const { runsCompareAction } = await import('../../runs/runs.actions.js');
    await runsCompareAction({ ...args, runs: args.runs as string[] }, context.output);
  },
});
