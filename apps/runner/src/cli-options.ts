import type { BackendName } from '@stagegraph/core-tensor';
import type { Argv } from 'yargs';
import { DEFAULT_QUEUE } from './queue/stage-job.js';

// What several commands share. This module and the command modules load no library but yargs:
// `stagegraph --version` and `--help` read them all, and must answer at once.

export const DEFAULT_CACHE_DIR = '.stagegraph/cache';

/** The tensor backends `--backend` takes: core-tensor's, named here so choosing one needs no TensorFlow.js. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

/** `--name`: what a run or sweep is called, in its folder name and records (the config's name by default). */
export const runNameOption = <T>(y: Argv<T>, what: string) =>
  y.option('name', {
    type: 'string',
    requiresArg: true,
    describe: `name this ${what} (its folder is <name>-<time>); default: the config's name`,
  });

/** `<config>` and `--set path=value`. */
export const configOptions = <T>(y: Argv<T>) =>
  y.positional('config', { type: 'string', demandOption: true, describe: 'pipeline config (JSON)' }).option('set', {
    type: 'string',
    array: true,
    requiresArg: true,
    default: [] as string[],
    describe:
      'override a config value: stages.train.params.epochs=3; into lists models.1.units=8 or models[name=x].units=8; append path+=value; delete ~path',
  });

/** `--backend` and `--threads`. */
export const backendOptions = <T>(y: Argv<T>, describe: string) =>
  y.option('backend', { choices: BACKEND_NAMES, describe }).option('threads', {
    type: 'string',
    requiresArg: true,
    describe:
      'threads for the wasm backend (default: STAGEGRAPH_THREADS, else every core when a stage prefers threads, as CNN stages do, else 1)',
  });

/** Where a run or sweep reads the cache and writes its folders, and whether it prints JSON lines. */
export const storeOptions = <T>(y: Argv<T>, out: string, json: string) =>
  y
    .option('cache-dir', { type: 'string', requiresArg: true, default: DEFAULT_CACHE_DIR })
    .option('out', { type: 'string', requiresArg: true, default: 'runs', describe: out })
    .option('json', { type: 'boolean', default: false, describe: json });

/** Where `run` and `sweep` compute stages: here, or on a queue's workers. */
export const executorOptions = <T>(y: Argv<T>) =>
  y.options({
    executor: {
      choices: ['local', 'bullmq'] as const,
      default: 'local' as const,
      describe: 'where stages compute: this process, or workers taking jobs from a BullMQ queue',
    },
    redis: {
      type: 'string' as const,
      requiresArg: true,
      describe: 'with --executor bullmq: redis:// URL of the queue (default: STAGEGRAPH_REDIS)',
    },
    queue: {
      type: 'string' as const,
      requiresArg: true,
      default: DEFAULT_QUEUE,
      describe: 'with --executor bullmq: queue name (the workers must name the same)',
    },
    'redis-timeout': {
      type: 'string' as const,
      requiresArg: true,
      default: '60',
      describe: 'with --executor bullmq: seconds to wait for a dropped Redis before the run fails',
    },
  });

/** `--json`, for the commands that print a table or a verdict. */
export const jsonOption = <T>(y: Argv<T>, describe = 'print JSON') =>
  y.option('json', { type: 'boolean', default: false, describe });
