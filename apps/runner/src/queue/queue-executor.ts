import { resolve } from 'node:path';
import { isNotConnectionError, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError, DataError, type CacheStore, type RunEvent, type StageDispatcher } from '@stagegraph/pipeline';
import { redisLabel } from './queue-args.js';
import { connectRedis, watchConnection } from './redis-connection.js';
import { STAGE_JOB_OPTIONS, type StageJobData, type StageJobReport } from './stage-job.js';

export interface QueueExecutorOptions {
  redis: string;
  queue: string;
  /** The cache the workers share: a finished job's entry is read from here. */
  cache: CacheStore;
  /** One-line notices for the user (stderr): no workers yet, the connection dropped or came back. */
  notice: (line: string) => void;
  /** How long to wait for a dropped Redis before failing the runs (default 60 s). */
  giveUpMs?: number;
  /** How often to look at the jobs in flight besides the event stream (default 2 s): a missed event or a Redis that lost its data still resolves. */
  pollMs?: number;
}

/** A run's wait for one job; several runs (a sweep's trials) can wait for the same job. */
interface Waiter {
  stageId: string;
  emit: (event: RunEvent) => void;
  /** This run queued the job (the others wait for it: their result is shared). */
  owner: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Runs stages on BullMQ workers: each stage a job whose id is its cache entry key, so the same
 * stage wanted by two runs (or two trials of a sweep) is one job, and a retried job finds its
 * result already stored. The engine walks the graph and queues a stage once its inputs are in the
 * shared cache; BullMQ flows are not used because a flow's job has one parent, and a pipeline's
 * stage often has several readers.
 */
export class QueueExecutor {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly jobs = new Map<string, StageJobData>();
  /** Jobs whose last check failed (not for a lost connection): said once; failing again fails their runs. */
  private readonly failedChecks = new Set<string>();
  private readonly poller: NodeJS.Timeout;
  private readonly unwatch: () => void;

  private constructor(
    private readonly options: QueueExecutorOptions,
    private readonly connection: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    events.on('progress', ({ jobId, data }) => this.report(jobId, data as StageJobReport));
    events.on('completed', ({ jobId }) => void this.check(jobId));
    events.on('failed', ({ jobId }) => void this.check(jobId));
    events.on('stalled', ({ jobId }) =>
      this.log(
        jobId,
        'warn',
        'its worker stopped answering (killed or hung); the job goes back to the queue for another worker',
      ),
    );
    // errors while Redis is away are the connection watcher's to report
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    this.unwatch = watchConnection(
      connection,
      options.redis,
      { notice: options.notice, back: () => this.checkAll() },
      {
        afterMs: options.giveUpMs ?? 60_000,
        then: (message) => this.failAll(new Error(`${message}: stopping; finished stages are cached`)),
      },
    );
    this.poller = setInterval(() => this.checkAll(), options.pollMs ?? 2000);
    this.poller.unref();
  }

  static async open(options: QueueExecutorOptions): Promise<QueueExecutor> {
    const connection = await connectRedis(options.redis);
    const queue = new Queue(options.queue, { connection });
    const events = new QueueEvents(options.queue, { connection: connection.duplicate() });
    await events.waitUntilReady();
    const executor = new QueueExecutor(options, connection, queue, events);
    if ((await queue.getWorkersCount()) === 0) {
      options.notice(
        `no worker takes jobs from queue "${options.queue}" at ${redisLabel(options.redis)} yet: stages wait until one starts (stagegraph worker --redis ${redisLabel(options.redis)} --cache-dir ...)`,
      );
    }
    return executor;
  }

  /** The dispatcher for one run of `config` (as validated), started from `workDir`. */
  dispatcherFor(run: { config: unknown; configFile: string; workDir: string }): StageDispatcher {
    return {
      dispatch: (stage, { emit, signal }) =>
        this.dispatch(
          { ...stage, config: run.config, configFile: resolve(run.configFile), workDir: resolve(run.workDir) },
          emit,
          signal,
        ),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.unwatch();
    this.failAll(new CancelledError('the run'));
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.connection.disconnect();
  }

  private dispatch(
    job: StageJobData,
    emit: (event: RunEvent) => void,
    signal: AbortSignal,
  ): Promise<'computed' | 'shared'> {
    return new Promise((resolvePromise, rejectPromise) => {
      if (signal.aborted) return rejectPromise(new CancelledError(`stage ${job.stageId}`));
      const waiter: Waiter = {
        stageId: job.stageId,
        emit,
        owner: false,
        resolve: () => settle(() => resolvePromise(waiter.owner ? 'computed' : 'shared')),
        reject: (error) => settle(() => rejectPromise(error)),
      };
      const settle = (then: () => void) => {
        this.waiters.get(job.key)?.delete(waiter);
        if (!this.waiters.get(job.key)?.size) {
          // the last run waiting for it is done with it (finished, failed or cancelled)
          this.waiters.delete(job.key);
          this.jobs.delete(job.key);
          this.failedChecks.delete(job.key);
        }
        signal.removeEventListener('abort', onAbort);
        then();
      };
      // a cancelled run stops waiting; the job stays queued (another run may want it) and its result is cached
      const onAbort = () => waiter.reject(new CancelledError(`stage ${job.stageId}`));
      signal.addEventListener('abort', onAbort, { once: true });
      const first = !this.waiters.has(job.key); // a later trial of this sweep wanting the same stage joins the first's job
      if (first) this.waiters.set(job.key, new Set());
      this.waiters.get(job.key)!.add(waiter);
      if (!first) return;
      this.jobs.set(job.key, job);
      this.enqueue(job).then(
        (added) => (waiter.owner = added),
        (error: Error) => waiter.reject(error),
      );
    });
  }

  /**
   * Adds the job unless the same one is queued or running (for another run: this one waits for it);
   * a finished one whose entry is gone, a failed one, or a forced one is replaced. True if added.
   */
  private async enqueue(job: StageJobData): Promise<boolean> {
    const state = await this.queue.getJobState(job.key);
    if (state === 'completed' || state === 'failed') {
      if (state === 'completed' && !job.force && (await this.options.cache.has(job.key))) {
        await this.finish(job.key);
        return false;
      }
      await this.queue.remove(job.key);
    } else if (state !== 'unknown') {
      return false;
    }
    await this.queue.add(job.stageType, job, { ...STAGE_JOB_OPTIONS, jobId: job.key });
    return true;
  }

  /**
   * Follows a job; an error is said once and fails the job's runs if the next check fails too. A
   * lost connection is the connection watcher's (it says so, and gives up after --redis-timeout).
   */
  private async check(jobId: string): Promise<void> {
    if (!this.waiters.has(jobId)) return;
    try {
      await this.follow(jobId);
      this.failedChecks.delete(jobId);
    } catch (error) {
      if (this.connection.status !== 'ready' || !isNotConnectionError(error as Error)) return;
      const message = `cannot follow its job on queue "${this.options.queue}": ${(error as Error).message.split('\n')[0]}`;
      if (this.failedChecks.has(jobId)) return this.rejectAll(jobId, new Error(message));
      this.failedChecks.add(jobId);
      this.log(jobId, 'warn', `${message}; trying again`);
    }
  }

  /** Where a job is now: finished, failed, or lost (Redis restarted without its data: queued again). */
  private async follow(jobId: string): Promise<void> {
    const state = await this.queue.getJobState(jobId);
    if (state === 'completed') return await this.finish(jobId);
    if (state === 'failed') {
      const failed = await this.queue.getJob(jobId);
      const report = failed?.progress as StageJobReport | undefined;
      const message = failed?.failedReason ?? 'the job failed';
      const error =
        report && typeof report === 'object' && report.kind === 'error' && report.userError
          ? new DataError(message)
          : new Error(message);
      return this.rejectAll(jobId, error);
    }
    if (state === 'unknown') {
      if (await this.options.cache.has(jobId)) return this.resolveAll(jobId);
      const job = this.jobs.get(jobId);
      if (job) {
        this.log(
          jobId,
          'warn',
          'the queue no longer has this job (Redis restarted without its data?); queueing it again',
        );
        await this.queue.add(job.stageType, job, { ...STAGE_JOB_OPTIONS, jobId });
      }
    }
  }

  private async finish(jobId: string): Promise<void> {
    if (await this.options.cache.has(jobId)) return this.resolveAll(jobId);
    const job = this.jobs.get(jobId);
    this.rejectAll(
      jobId,
      new Error(
        `stage ${job?.stageId ?? jobId} finished on a worker, but its cache entry ${jobId.slice(0, 12)} is not in this run's cache: do the workers and this run share --cache-dir?`,
      ),
    );
  }

  private checkAll(): void {
    for (const jobId of this.waiters.keys()) void this.check(jobId);
  }

  private report(jobId: string, report: StageJobReport): void {
    if (report?.kind === 'progress')
      for (const w of this.waiters.get(jobId) ?? [])
        w.emit({ type: 'stage-progress', stageId: w.stageId, progress: report.progress });
    if (report?.kind === 'log') this.log(jobId, 'info', report.message);
    if (report?.kind === 'started')
      this.log(jobId, 'info', `on worker ${report.worker}${report.attempt > 1 ? ` (attempt ${report.attempt})` : ''}`);
  }

  private log(jobId: string, level: 'info' | 'warn', message: string): void {
    for (const w of this.waiters.get(jobId) ?? []) w.emit({ type: 'stage-log', stageId: w.stageId, level, message });
  }

  private resolveAll(jobId: string): void {
    for (const w of [...(this.waiters.get(jobId) ?? [])]) w.resolve();
    this.jobs.delete(jobId);
  }

  private rejectAll(jobId: string, error: Error): void {
    for (const w of [...(this.waiters.get(jobId) ?? [])]) w.reject(error);
    this.jobs.delete(jobId);
  }

  private failAll(error: Error): void {
    for (const jobId of [...this.waiters.keys()]) this.rejectAll(jobId, error);
  }
}
