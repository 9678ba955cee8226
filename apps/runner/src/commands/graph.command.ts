import type { Argv } from 'yargs';
import { configOptions, jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  jsonOption(
    configOptions(y).option('format', { choices: ['text', 'mermaid', 'json'] as const, default: 'text' as const }),
    'same as --format json',
  );
export type GraphCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph graph <config> [--format text|mermaid|json]`. */
export const graphCommand: CommandOf<typeof builder> = (context) => ({
  command: 'graph <config>',
  describe: 'print the stage graph',
  builder,
  handler: async (args) => {
    const { graphAction } = await import('./inspect.actions.js');
    await graphAction({ config: args.config, set: args.set, format: args.json ? 'json' : args.format }, context.output);
  },
});
