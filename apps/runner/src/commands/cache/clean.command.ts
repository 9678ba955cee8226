import type { Argv } from 'yargs';
import { DEFAULT_CACHE_DIR, jsonOption } from '../../cli-options.js';
import type { ArgsOf, CommandOf } from '../command-context.js';

const builder = (y: Argv) =>
  jsonOption(
    y
      .option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR })
      .option('older-than', { type: 'string', requiresArg: true, describe: 'only entries older than this many days' }),
  );
export type CacheCleanArgs = ArgsOf<typeof builder>;

/** `stagegraph cache clean [--older-than DAYS] [--json]`. */
export const cacheCleanCommand: CommandOf<typeof builder> = (context) => ({
  command: 'clean',
  describe: 'remove cache entries',
  builder,
  handler: async (args) => {
    const { cacheCleanAction } = await import('../cache.actions.js');
    await cacheCleanAction(args, context.output);
  },
});
