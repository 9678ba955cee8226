import { describeBackend, selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { openCache } from '../cache/open-cache.js';
import type { Output } from '../output.js';
import { EXIT_CANCELLED, EXIT_OK } from '../cli-error.js';
import { wholeNumberArg } from '../number-args.js';
import { parseQueueName, parseRedisUrl, redisLabel } from '../queue/queue-args.js';
import { StageWorker, type StopOutcome } from '../queue/stage-worker.js';
import type { WorkerCommandArgs } from './worker.command.js';

/** What a worker is told, from its command line (`parseWorkerArgs`). */
interface WorkerArgs {
  redis: string;
  queue: string;
  cacheDir: string;
  backend?: BackendName;
  threads?: number;
  lockDurationMs: number;
}

function parseWorkerArgs(args: WorkerCommandArgs): WorkerArgs {
  return {
    redis: parseRedisUrl(args.redis ?? process.env.STAGEGRAPH_REDIS, 'for the worker'),
    queue: parseQueueName(args.queue),
    cacheDir: args.cacheDir,
    backend: args.backend,
    threads: wholeNumberArg('--threads', args.threads, 1, 1024),
    lockDurationMs: wholeNumberArg('--lock-duration', args.lockDuration, 1, 3600)! * 1000,
  };
}

/**
 * `stagegraph worker`: computes stage jobs from the queue until Ctrl-C or SIGTERM (the stage in
 * hand finishes first, unless Redis stays away for the lock duration; a second Ctrl-C leaves it to
 * another worker). Returns the exit code: 130 when it stopped without finishing.
 */
export async function workerAction(commandArgs: WorkerCommandArgs, output: Output): Promise<number> {
  const args = parseWorkerArgs(commandArgs);
  const cache = await openCache(args.cacheDir);
  const { backend, threads, threadsNotice } = await selectBackend(args.backend, {
    threads: args.threads,
    parallelWork: true,
  });
  if (threadsNotice) output.err(`note: ${threadsNotice}\n`);
  const worker = await StageWorker.start({
    redis: args.redis,
    queue: args.queue,
    cache,
    backend: describeBackend(backend, threads),
    lockDurationMs: args.lockDurationMs,
    say: (line) => output.out(`${line}\n`),
  });
  let signals = 0;
  let stop!: () => void;
  const stopped = new Promise<StopOutcome>((resolve) => {
    stop = () => {
      signals++;
      if (signals > 1) output.err('stopping now\n');
      else
        output.err(
          `${worker.stageInHand ? 'finishing the stage in hand, then stopping' : 'stopping'} (Ctrl-C again to stop now)\n`,
        );
      // the second stops at once, whatever Redis does
      void worker.close(signals > 1).then(resolve);
    };
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const outcome = await stopped;
    if (!outcome.abandoned) {
      output.out(`worker ${worker.name}: stopped\n`);
      return EXIT_OK;
    }
    const why =
      signals > 1
        ? ''
        : ` (redis at ${redisLabel(args.redis)} away for ${args.lockDurationMs / 1000} s while stopping)`;
    const left = outcome.stage
      ? ` without finishing stage ${outcome.stage}${why}; it goes back to the queue when its lock runs out`
      : why;
    output.err(`worker ${worker.name}: stopped${left}\n`);
    return EXIT_CANCELLED;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
