import type { Argv } from 'yargs';
import type { ArgsOf, CommandOf } from '../command-context.js';
import { tableOptions } from './table-options.js';

const builder = (y: Argv) => tableOptions(y).positional('a', { type: 'string', demandOption: true }).positional('b', { type: 'string', demandOption: true });
export type RunsDiffArgs = ArgsOf<typeof builder>;

/** `stagegraph runs diff <a> <b>`. */
export const runsDiffCommand: CommandOf<typeof builder> = (context) => ({
  command: 'diff <a> <b>',
  describe: 'the params and metrics that differ between two runs, metrics with deltas',
  builder,
  handler: async (args) => {
    const { runsDiffAction } = await import('../../runs/runs.actions.js');
    await runsDiffAction(args, context.output);
  },
});
