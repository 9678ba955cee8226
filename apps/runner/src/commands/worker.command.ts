import { describeBackend, selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { openCache } from '../cache/open-cache.js';
import type { Output } from '../output.js';
import { StageWorker } from '../queue/stage-worker.js';

export interface WorkerArgs {
  redis: string;
  queue: string;
  cacheDir: string;
  backend?: BackendName;
  threads?: number;
  lockDurationMs: number;
}

/**
 * `stagegraph worker`: computes stage jobs from the queue until Ctrl-C or SIGTERM (the stage in
 * hand finishes first; a second Ctrl-C leaves it to another worker).
 */
export async function workerCommand(args: WorkerArgs, output: Output): Promise<void> {
  const cache = await openCache(args.cacheDir);
  const { backend, threads, threadsNotice } = await selectBackend(args.backend, { threads: args.threads, parallelWork: true });
  if (threadsNotice) output.err(`note: ${threadsNotice}\n`);
  const worker = await StageWorker.start({
    redis: args.redis,
    queue: args.queue,
    cache,
    backend: describeBackend(backend, threads),
    lockDurationMs: args.lockDurationMs,
    say: (line) => output.out(`${line}\n`),
  });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) {
        output.err('stopping now; the stage in hand goes back to the queue when its lock runs out\n');
        void worker.close(true).then(resolve);
        return;
      }
      stopping = true;
      output.err('finishing the stage in hand, then stopping (Ctrl-C again to stop now)\n');
      void worker.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  output.out(`worker ${worker.name}: stopped\n`);
}
