import type { Argv } from 'yargs';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  y
    .option('out', { type: 'string', describe: 'write it to this file' })
    .option('config', { type: 'string', requiresArg: true, describe: "include the stages of this config's plugins" });
export type SchemaCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph schema [--out FILE] [--config FILE]`. */
export const schemaCommand: CommandOf<typeof builder> = (context) => ({
  command: 'schema',
  describe: 'print the JSON Schema for pipeline configs',
  builder,
  handler: async (args) => {
    const { schemaAction } = await import('./inspect.actions.js');
    await schemaAction(args, context.output);
  },
});
