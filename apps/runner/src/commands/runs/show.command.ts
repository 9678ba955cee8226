import type { Argv } from 'yargs';
import type { ArgsOf, CommandOf } from '../command-context.js';
import { tableOptions } from './table-options.js';

const builder = (y: Argv) => tableOptions(y).positional('run', { type: 'string', demandOption: true });
export type RunsShowArgs = ArgsOf<typeof builder>;

/** `stagegraph runs show <run>`. */
export const runsShowCommand: CommandOf<typeof builder> = (context) => ({
  command: 'show <run>',
  describe: 'one run: provenance, params, metrics (a run folder name, a unique prefix of one, or latest)',
  builder,
  handler: async (args) => {
    const { runsShowAction } = await import('../../runs/runs.actions.js');
    await runsShowAction(args, context.output);
  },
});
