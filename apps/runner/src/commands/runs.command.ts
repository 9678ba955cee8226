import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from './command-context.js';
import { runsCompareCommand } from './runs/compare.command.js';
import { runsDiffCommand } from './runs/diff.command.js';
import { runsListCommand } from './runs/ls.command.js';
import { runsShowCommand } from './runs/show.command.js';

/** `stagegraph runs ls|show|diff|compare`. */
export const runsCommand = (context: CommandContext): CommandModule => ({
  command: 'runs',
  describe: 'list, show, diff and compare finished runs and sweeps',
  builder: (y: Argv) =>
    y
      .command(runsListCommand(context))
      .command(runsShowCommand(context))
      .command(runsDiffCommand(context))
      .command(runsCompareCommand(context))
      .demandCommand(1, 'name a runs command: ls, show, diff or compare'),
  handler: () => undefined, // a subcommand runs, or demandCommand refuses
});
