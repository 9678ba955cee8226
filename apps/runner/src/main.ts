import { BACKENDS, muteTensorLibraryNoise, type BackendName } from '@stagegraph/core-tensor';
import yargs, { type Argv } from 'yargs';
import { reportError, UsageError } from './cli-error.js';
import { nonNegativeArg, wholeNumberArg } from './number-args.js';
import { cacheCleanCommand, cacheListCommand } from './commands/cache.commands.js';
import { graphCommand, schemaCommand, stagesCommand, validateCommand } from './commands/inspect.commands.js';
import { initCommand, TEMPLATES } from './commands/init.command.js';
import { predictCommand } from './commands/predict.command.js';
import { runCommand } from './commands/run.command.js';
import { serveCommand } from './commands/serve.command.js';
import { runsCompareCommand, runsDiffCommand, runsListCommand, runsShowCommand } from './runs/runs.commands.js';
import { sweepCommand } from './sweep/sweep.command.js';
import { executorArgs, parseQueueName, parseRedisUrl, queueOptions } from './queue/queue-args.js';
import { DEFAULT_QUEUE } from './queue/stage-job.js';
import { processOutput, type Output } from './output.js';
import { cliVersion } from './version.js';

const DEFAULT_CACHE_DIR = '.stagegraph/cache';

/** The `stagegraph` CLI. Returns the exit code: 0 ok, 2 bad config or input, 1 anything else, 130 cancelled. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  let exitCode = 0;
  const verbose = argv.includes('--verbose');
  const noise = verbose ? undefined : muteTensorLibraryNoise(); // tfjs' notices, unless --verbose
  const configArgs = <T>(y: import('yargs').Argv<T>) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'pipeline config (JSON)' })
      .option('set', { type: 'string', array: true, requiresArg: true, default: [] as string[], describe: 'override a config value: stages.train.params.epochs=3' });
  const threadsArg = (text: string | undefined) => wholeNumberArg('--threads', text, 1, 1024);
  const backendArgs = <T>(y: Argv<T>, describe: string) =>
    y.option('backend', { choices: BACKENDS, describe }).option('threads', {
      type: 'string',
      requiresArg: true,
      describe: 'threads for the wasm backend (default: STAGEGRAPH_THREADS, else every core when a stage prefers threads, as CNN stages do, else 1)',
    });
  /** Where a run or sweep reads the cache and writes its folders, and whether it prints JSON lines. */
  const storeArgs = <T>(y: Argv<T>, out: string, json: string) =>
    y
      .option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR })
      .option('out', { type: 'string', requiresArg: true, default: 'runs', describe: out })
      .option('json', { type: 'boolean', default: false, describe: json });
  const cli = yargs(argv)
    .scriptName('stagegraph')
    .usage('$0 <command> [options]\n\nDeclarative, cached machine-learning pipelines on TensorFlow.js.')
    .option('verbose', { type: 'boolean', default: false, describe: 'show stack traces' })
    .command(
      'run <config>',
      'run a pipeline, reusing cached stage results',
      (y) =>
        storeArgs(backendArgs(configArgs(y), 'tensor backend (default: tensorflow > wasm > cpu, the first that loads)'), 'folder for run outputs', 'print events as JSON lines')
          .option('cache', { type: 'boolean', default: true, describe: 'reuse cached results (--no-cache recomputes every stage and refreshes the cache)' })
          .option('jobs', { type: 'string', requiresArg: true, describe: 'at most this many stages at once (default: all that are ready)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress: the summary and metrics only' })
          .options(executorArgs),
      async (args) => {
        await runCommand(
          {
            config: args.config!,
            set: args.set,
            backend: args.backend as BackendName | undefined,
            threads: threadsArg(args.threads),
            cache: args.cache,
            cacheDir: args.cacheDir,
            out: args.out,
            json: args.json,
            jobs: wholeNumberArg('--jobs', args.jobs, 1),
            quiet: args.quiet,
            queue: queueOptions(args),
          },
          output,
        );
      },
    )
    .command(
      'sweep <config>',
      "run the trials of a config's sweep block (grid, random or successive halving) through the shared cache",
      (y) =>
        storeArgs(
          backendArgs(configArgs(y), 'tensor backend (default: tensorflow > wasm > cpu, the first that loads)'),
          'folder for run outputs; the sweep goes in <out>/sweeps/<id>',
          'print trial events as JSON lines',
        )
          .option('jobs', {
            type: 'string',
            requiresArg: true,
            describe: 'trials at once: locally each in its own process on one thread (default 1: one after another); with --executor bullmq, trials queued at once (default: all)',
          })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no line per trial: the table and the best trial only' })
          .options(executorArgs),
      async (args) => {
        await sweepCommand(
          {
            config: args.config!,
            set: args.set,
            backend: args.backend as BackendName | undefined,
            threads: threadsArg(args.threads),
            cacheDir: args.cacheDir,
            out: args.out,
            json: args.json,
            jobs: wholeNumberArg('--jobs', args.jobs, 1),
            quiet: args.quiet,
            queue: queueOptions(args),
          },
          output,
        );
      },
    )
    .command(
      'worker',
      'take stage jobs from a BullMQ queue on Redis and compute them (for run and sweep --executor bullmq)',
      (y) =>
        backendArgs(
          y
            .option('redis', { type: 'string', requiresArg: true, describe: 'redis:// URL of the queue (default: STAGEGRAPH_REDIS)' })
            .option('queue', { type: 'string', requiresArg: true, default: DEFAULT_QUEUE, describe: 'queue name' })
            .option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR, describe: 'the cache the runs use: a shared folder or s3://bucket/prefix' })
            .option('lock-duration', {
              type: 'string',
              requiresArg: true,
              default: '30',
              describe: "seconds a job stays locked without renewal: a killed worker's stage is retried by another after about this long",
            }),
          'tensor backend for the stages (default: tensorflow > wasm > cpu, the first that loads)',
        ),
      async (args) => {
        const { workerCommand } = await import('./commands/worker.command.js'); // loads bullmq
        exitCode = await workerCommand(
          {
            redis: parseRedisUrl(args.redis ?? process.env.STAGEGRAPH_REDIS, 'for the worker'),
            queue: parseQueueName(args.queue),
            cacheDir: args.cacheDir,
            backend: args.backend as BackendName | undefined,
            threads: threadsArg(args.threads),
            lockDurationMs: wholeNumberArg('--lock-duration', args.lockDuration, 1, 3600)! * 1000,
          },
          output,
        );
      },
    )
    .command('runs', 'list, show, diff and compare finished runs and sweeps', (y) => {
      const tableArgs = <T>(z: Argv<T>) =>
        z
          .option('out', { type: 'string', requiresArg: true, default: 'runs', describe: 'the folder of runs' })
          // no defaults: yargs counts a defaulted option as given when it checks conflicts
          .option('json', { type: 'boolean', describe: 'print JSON' })
          .option('csv', { type: 'boolean', describe: 'print CSV' })
          .conflicts('json', 'csv');
      return y
        .command('ls', 'every run, newest first, sweeps with their trials', tableArgs, (args) => runsListCommand(args, output))
        .command(
          'show <run>',
          'one run: provenance, params, metrics (a run folder name, a unique prefix of one, or latest)',
          (z) => tableArgs(z).positional('run', { type: 'string', demandOption: true }),
          (args) => runsShowCommand({ ...args, run: args.run! }, output),
        )
        .command(
          'diff <a> <b>',
          'the params and metrics that differ between two runs, metrics with deltas',
          (z) => tableArgs(z).positional('a', { type: 'string', demandOption: true }).positional('b', { type: 'string', demandOption: true }),
          (args) => runsDiffCommand({ ...args, a: args.a!, b: args.b! }, output),
        )
        .command(
          'compare [runs..]',
          "runs side by side (default: the newest five), or a sweep's trials by its objective",
          (z) =>
            tableArgs(z)
              .positional('runs', { type: 'string', array: true, default: [] as string[] })
              .option('sweep', { type: 'string', requiresArg: true, describe: 'a sweep id, or latest' }),
          (args) => runsCompareCommand({ ...args, runs: args.runs as string[], sweep: args.sweep }, output),
        )
        .demandCommand(1, 'name a runs command: ls, show, diff or compare');
    })
    .command(
      'predict <files..>',
      'predict the digit in image files (or folders of them) with a trained model',
      (y) =>
        backendArgs(
          y
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'PNG/JPEG files or folders' })
            .option('model', { type: 'string', requiresArg: true, demandOption: true, describe: 'a run folder, a model folder or its model.json' }),
          'tensor backend for predictions',
        ).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
      async (args) => {
        exitCode = await predictCommand(
          {
            model: args.model,
            files: args.files as string[],
            json: args.json,
            backend: args.backend as BackendName | undefined,
            threads: threadsArg(args.threads),
          },
          output,
        );
      },
    )
    .command(
      'serve',
      'the web app: browse runs and reports, draw a digit, see a forecast',
      (y) =>
        backendArgs(
          y
            .option('runs', { type: 'string', requiresArg: true, default: 'runs', describe: 'the folder of runs to serve' })
            .option('port', { type: 'string', requiresArg: true, default: '8080', describe: 'port to listen on (0: any free one)' })
            .option('host', { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'address to listen on (0.0.0.0: every interface)' }),
          'tensor backend for predictions',
        ).option('quiet', { type: 'boolean', default: false, describe: 'do not log requests' }),
      async (args) => {
        exitCode = await serveCommand(
          {
            runs: args.runs,
            host: args.host,
            port: wholeNumberArg('--port', args.port, 0, 65535)!,
            backend: args.backend as BackendName | undefined,
            threads: threadsArg(args.threads),
            quiet: args.quiet,
          },
          output,
        );
      },
    )
    .command(
      'init <dir>',
      'start a project: a plugin stage with its test, a pipeline using it, a package.json on the published packages',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'a new or empty folder' })
          .option('template', { choices: TEMPLATES, default: 'plugin' as const, describe: 'what to start from' })
          .option('json', { type: 'boolean', default: false, describe: 'print what was created as JSON' }),
      (args) => initCommand({ dir: args.dir!, template: args.template, json: args.json }, output),
    )
    .command(
      'validate <config>',
      'check a config without running it',
      (y) => configArgs(y).option('json', { type: 'boolean', default: false, describe: 'print {ok, stages, edges} or {ok: false, errors} as JSON' }),
      async (args) => {
        exitCode = await validateCommand({ config: args.config!, set: args.set, json: args.json }, output);
      },
    )
    .command(
      'graph <config>',
      'print the stage graph',
      (y) =>
        configArgs(y)
          .option('format', { choices: ['text', 'mermaid', 'json'] as const, default: 'text' as const })
          .option('json', { type: 'boolean', default: false, describe: 'same as --format json' }),
      (args) => graphCommand({ config: args.config!, set: args.set, format: args.json ? 'json' : args.format }, output),
    )
    .command(
      'stages',
      'list the stage types with their ports and params',
      (y) =>
        y
          .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const, describe: 'markdown writes the tables of a README' })
          .option('json', { type: 'boolean', default: false, describe: 'same as --format json' })
          .option('config', { type: 'string', requiresArg: true, describe: "also list the stages of this config's plugins" }),
      (args) => stagesCommand({ format: args.json ? 'json' : args.format, config: args.config }, output),
    )
    .command(
      'schema',
      'print the JSON Schema for pipeline configs',
      (y) =>
        y
          .option('out', { type: 'string', describe: 'write it to this file' })
          .option('config', { type: 'string', requiresArg: true, describe: "include the stages of this config's plugins" }),
      (args) => schemaCommand(args, output),
    )
    .command('cache', 'inspect or clean the stage cache', (y) =>
      y
        .option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR })
        .command(
          'ls',
          'list cache entries',
          (z) => z.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
          (args) => cacheListCommand({ cacheDir: args.cacheDir as string, json: args.json }, output),
        )
        .command(
          'clean',
          'remove cache entries',
          (z) =>
            z
              .option('older-than', { type: 'string', requiresArg: true, describe: 'only entries older than this many days' })
              .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
          (args) => cacheCleanCommand({ cacheDir: args.cacheDir as string, olderThan: nonNegativeArg('--older-than', args.olderThan), json: args.json }, output),
        )
        .demandCommand(1, 'name a cache command: ls or clean'),
    )
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
      throw new UsageError(`${(message ?? error?.message ?? 'bad arguments').replace(/\s*\n\s*/g, ' ')} (see stagegraph --help)`);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    return reportError(error, verbose, output.err);
  } finally {
    noise?.restore();
  }
  return exitCode;
}
