import type { Argv, CommandModule } from 'yargs';
import { cacheCleanCommand } from './cache/clean.command.js';
import { cacheListCommand } from './cache/ls.command.js';
import type { CommandContext } from './command-context.js';

/** `stagegraph cache ls|clean`. */
export const cacheCommand = (context: CommandContext): CommandModule => ({
  command: 'cache',
  describe: 'inspect or clean the stage cache',
  builder: (y: Argv) =>
    y
      .command(cacheListCommand(context))
      .command(cacheCleanCommand(context))
      .demandCommand(1, 'name a cache command: ls or clean'),
  handler: () => undefined, // a subcommand runs, or demandCommand refuses
});
