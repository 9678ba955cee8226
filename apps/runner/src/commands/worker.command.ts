import type { Argv } from 'yargs';
import { backendOptions, DEFAULT_CACHE_DIR } from '../cli-options.js';
import { DEFAULT_QUEUE } from '../queue/stage-job.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  backendOptions(
    y
      .option('redis', {
        type: 'string',
        requiresArg: true,
        describe: 'redis:// URL of the queue (default: STAGEGRAPH_REDIS)',
      })
      .option('queue', { type: 'string', requiresArg: true, default: DEFAULT_QUEUE, describe: 'queue name' })
      .option('cache-dir', {
        type: 'string',
        requiresArg: true,
        default: DEFAULT_CACHE_DIR,
        describe: 'the cache the runs use: a shared folder or s3://bucket/prefix',
      })
      .option('lock-duration', {
        type: 'string',
        requiresArg: true,
        default: '30',
        describe:
          "seconds a job stays locked without renewal: a killed worker's stage is retried by another after about this long",
      }),
    'tensor backend for the stages (default: tensorflow > wasm > cpu, the first that loads)',
  );
export type WorkerCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph worker`. */
export const workerCommand: CommandOf<typeof builder> = (context) => ({
  command: 'worker',
  describe: 'take stage jobs from a BullMQ queue on Redis and compute them (for run and sweep --executor bullmq)',
  builder,
  handler: async (args) => {
    const { workerAction } = await import('./worker.action.js'); // loads bullmq
    context.exitCode = await workerAction(args, context.output);
  },
});
