import type { Argv } from 'yargs';
import { configOptions, jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  jsonOption(configOptions(y), 'print {ok, stages, edges} or {ok: false, errors} as JSON').option('data', {
    type: 'boolean',
    default: true,
    describe: "look at the data files the stages name (header, first rows, where's values); --no-data skips it",
  });
export type ValidateCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph validate <config>`. */
export const validateCommand: CommandOf<typeof builder> = (context) => ({
  command: 'validate <config>',
  describe: 'check a config without running it',
  builder,
  handler: async (args) => {
    const { validateAction } = await import('./inspect.actions.js');
    context.exitCode = await validateAction(args, context.output);
  },
});
