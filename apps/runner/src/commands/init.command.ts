import type { Argv } from 'yargs';
import { jsonOption } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';
import { TEMPLATES } from './init-templates.js';

const builder = (y: Argv) =>
  jsonOption(
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'a new or empty folder' })
      .option('template', { choices: TEMPLATES, default: 'plugin' as const, describe: 'what to start from' }),
    'print what was created as JSON',
  );
export type InitCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph init <dir> [--template plugin|forecast|digits|images|table]`. */
export const initCommand: CommandOf<typeof builder> = (context) => ({
  command: 'init <dir>',
  describe:
    'start a project: a plugin stage with its test, a pipeline using it, a package.json on the published packages',
  builder,
  handler: async (args) => {
    const { initAction } = await import('./init.action.js');
    await initAction(args, context.output);
  },
});
