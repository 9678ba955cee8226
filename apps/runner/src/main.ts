import yargs from 'yargs';
import { cacheCommand } from './commands/cache.command.js';
import type { CommandContext } from './commands/command-context.js';
import { graphCommand } from './commands/graph.command.js';
import { initCommand } from './commands/init.command.js';
import { predictCommand } from './commands/predict.command.js';
import { runCommand } from './commands/run.command.js';
import { runsCommand } from './commands/runs.command.js';
import { schemaCommand } from './commands/schema.command.js';
import { serveCommand } from './commands/serve.command.js';
import { stagesCommand } from './commands/stages.command.js';
import { sweepCommand } from './commands/sweep.command.js';
import { validateCommand } from './commands/validate.command.js';
import { workerCommand } from './commands/worker.command.js';
import { processOutput, type Output } from './output.js';
import { quietTensorNotices } from './tensors/lazy-backend.js';
import { cliVersion } from './version.js';

/** yargs' own refusal (a missing value, an unknown option): a usage error once cli-error.ts is loaded. */
class ArgumentsRefused extends Error {}

/**
 * The `stagegraph` CLI: the command modules assembled. Returns the exit code: 0 ok, 2 bad config or
 * input, 1 anything else, 130 cancelled. Loads yargs and the command modules only; each command's
 * handler loads what it uses, and an error what prints it.
 */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const verbose = argv.includes('--verbose');
  const context: CommandContext = { output, exitCode: 0 };
  const unquiet = verbose ? undefined : quietTensorNotices(); // TensorFlow.js' notices, unless --verbose
  const cli = yargs(argv)
    .scriptName('stagegraph')
    .usage('$0 <command> [options]\n\nDeclarative, cached machine-learning pipelines on TensorFlow.js.')
    .option('verbose', { type: 'boolean', default: false, describe: 'show stack traces' })
    .command(runCommand(context))
    .command(sweepCommand(context))
    .command(workerCommand(context))
    .command(runsCommand(context))
    .command(predictCommand(context))
    .command(serveCommand(context))
    .command(initCommand(context))
    .command(validateCommand(context))
    .command(graphCommand(context))
    .command(stagesCommand(context))
    .command(schemaCommand(context))
    .command(cacheCommand(context))
    .demandCommand(1, 'name a command')
    .strict()
    .completion('completion', 'print a shell completion script (bash, zsh): stagegraph completion >> ~/.bashrc')
    .help()
    .alias('h', 'help')
    .version(cliVersion())
    .exitProcess(false)
    .fail((message, error) => {
      // throwing (rather than printing here) stops yargs from running the command's handler
      // a command's own error passes through; yargs' own (YError: a missing value, say) is a usage error
      if (error && error.name !== 'YError') throw error;
      throw new ArgumentsRefused(
        `${(message ?? error?.message ?? 'bad arguments').replace(/\s*\n\s*/g, ' ')} (see stagegraph --help)`,
      );
    });
  try {
    await cli.parseAsync();
    return context.exitCode;
  } catch (error) {
    const { reportError, UsageError } = await import('./cli-error.js');
    return reportError(error instanceof ArgumentsRefused ? new UsageError(error.message) : error, verbose, output.err);
  } finally {
    unquiet?.();
  }
}
