import type { Argv } from 'yargs';
import type { ArgsOf, CommandOf } from '../command-context.js';
import { tableOptions } from './table-options.js';

const builder = (y: Argv) => tableOptions(y);
export type RunsListArgs = ArgsOf<typeof builder>;

/** `stagegraph runs ls`. */
export const runsListCommand: CommandOf<typeof builder> = (context) => ({
  command: 'ls',
  describe: 'every run, newest first, sweeps with their trials',
  builder,
  handler: async (args) => {
    const { runsListAction } = await import('../../runs/runs.actions.js');
    await runsListAction(args, context.output);
  },
});
