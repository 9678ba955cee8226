import type { Argv } from 'yargs';
import { DEFAULT_CACHE_DIR, jsonOption } from '../../cli-options.js';
import type { ArgsOf, CommandOf } from '../command-context.js';

const builder = (y: Argv) =>
  jsonOption(y.option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR }));
export type CacheListArgs = ArgsOf<typeof builder>;

/** `stagegraph cache ls [--json]`. */
export const cacheListCommand: CommandOf<typeof builder> = (context) => ({
  command: 'ls',
  describe: 'list cache entries',
  builder,
  handler: async (args) => {
    const { cacheListAction } = await import('../cache.actions.js');
    await cacheListAction(args, context.output);
  },
});
