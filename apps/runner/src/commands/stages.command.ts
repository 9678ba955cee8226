import type { Argv } from 'yargs';
import { jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  jsonOption(
    y.option('format', {
      choices: ['text', 'json', 'markdown'] as const,
      default: 'text' as const,
      describe: 'markdown writes the tables of a README',
    }),
    'same as --format json',
  ).option('config', { type: 'string', requiresArg: true, describe: "also list the stages of this config's plugins" });
export type StagesCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph stages [--config FILE] [--format text|json|markdown]`. */
export const stagesCommand: CommandOf<typeof builder> = (context) => ({
  command: 'stages',
  describe: 'list the stage types with their ports and params',
  builder,
  handler: async (args) => {
    const { stagesAction } = await import('./inspect.actions.js');
    await stagesAction({ format: args.json ? 'json' : args.format, config: args.config }, context.output);
  },
});
