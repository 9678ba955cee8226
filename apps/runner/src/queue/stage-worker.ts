import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  CancelledError,
  canonicalJson,
  computeDispatchedStage,
  isUserInputError,
  KeyMismatchError,
  registryFor,
  sha256,
  validateConfig,
  type CacheStore,
  type StageProgress,
  type StageRegistry,
} from '@stagegraph/pipeline';
import { workspaceCodecs, BUILT_IN_PLUGINS, PORT_KINDS } from '../workspace-registry.js';
import { redisLabel } from './queue-args.js';
import { connectRedis, watchConnection } from './redis-connection.js';
import type { StageJobData, StageJobReport } from './stage-job.js';

export interface StageWorkerOptions {
  redis: string;
  queue: string;
  cache: CacheStore;
  backend: string;
  /** How long a job's lock lasts without renewal: a worker killed mid-stage has its job taken up by another after about this long. */
  lockDurationMs: number;
  /** A line per job and per connection change. */
  say: (line: string) => void;
}

/**
 * Takes stage jobs from the queue one at a time and computes each from the shared cache, with
 * the built-in stages and the plugins each job's config names. Progress and logs go back through
 * the job's progress; a stage that throws fails its job (and the runs waiting for it), not the worker.
 */
export class StageWorker {
  readonly name = `${hostname()}:${process.pid}`;
  private readonly registries = new Map<string, Promise<StageRegistry>>();
  private readonly codecs = workspaceCodecs();
  private readonly controller = new AbortController();
  private inHand?: { label: string; done: Promise<void> };
  private closing?: Promise<StopOutcome>;
  /** Set once the stage in hand (if any) is dropped. */
  private abandoned?: { stage?: string };
  private drop!: () => void;
  private readonly dropped = new Promise<void>((resolve) => (this.drop = resolve));

  private constructor(
    private readonly options: StageWorkerOptions,
    private readonly connection: Redis,
    private readonly worker: Worker,
    private readonly unwatch: () => void,
  ) {}

  static async start(options: StageWorkerOptions): Promise<StageWorker> {
    const connection = await connectRedis(options.redis);
    const ref: { self?: StageWorker } = {}; // the processor is given before the worker exists
    const worker = new Worker(options.queue, (job: Job<StageJobData>) => ref.self!.process(job), {
      connection,
      concurrency: 1, // one stage at a time: a worker is a process on a thread budget; run more workers for more
      lockDuration: options.lockDurationMs,
      stalledInterval: options.lockDurationMs,
      maxStalledCount: 2,
      autorun: false,
    });
    worker.on('error', () => undefined); // the connection watcher reports a dropped Redis
    const unwatch = watchConnection(connection, options.redis, { notice: options.say, back: () => undefined });
    const self = (ref.self = new StageWorker(options, connection, worker, unwatch));
    void worker.run();
    await worker.waitUntilReady();
    options.say(
      `worker ${self.name}: taking stage jobs from queue "${options.queue}" at ${redisLabel(options.redis)} (backend ${options.backend})`,
    );
    return self;
  }

  /** The stage being computed, as the worker's lines name it; none between jobs. */
  get stageInHand(): string | undefined {
    return this.inHand?.label;
  }

  /**
   * Stops taking jobs and finishes the stage in hand. It is dropped instead (its job goes back to the
   * queue once its lock runs out) with `now`, or when Redis stays away for the lock duration while
   * stopping: the lock has run out by then.
   */
  close(now = false): Promise<StopOutcome> {
    if (now) this.abandon();
    return (this.closing ??= this.stop());
  }

  private async stop(): Promise<StopOutcome> {
    let deadline: NodeJS.Timeout | undefined;
    const away = () => {
      if (!this.abandoned) deadline ??= setTimeout(() => this.abandon(), this.options.lockDurationMs);
    };
    const back = () => {
      clearTimeout(deadline);
      deadline = undefined;
    };
    this.connection.on('close', away);
    this.connection.on('ready', back);
    if (this.connection.status !== 'ready') away();
    try {
      return await Promise.race([
        this.finish().then(() => ({ abandoned: false })),
        this.dropped.then(() => ({ abandoned: true, ...this.abandoned })),
      ]);
    } finally {
      back();
      this.connection.off('close', away);
      this.connection.off('ready', back);
      this.unwatch();
      this.connection.disconnect(); // BullMQ leaves a connection it was given open
      void this.worker.close(true).catch(() => undefined); // stops its timers if its own close never started
    }
  }

  /**
   * BullMQ's close while Redis is there (it waits for the stage in hand). Without Redis it would
   * wait for ever (it cancels the reconnect it then waits for): this worker waits for its stage
   * itself, and closes BullMQ's side without a word to Redis.
   */
  private async finish(): Promise<void> {
    if (this.connection.status !== 'ready') await this.inHand?.done;
    await this.worker.close(this.connection.status !== 'ready');
  }

  private abandon(): void {
    if (this.abandoned) return;
    this.abandoned = { stage: this.inHand?.label };
    this.unwatch(); // the disconnect below is no lost connection to report
    // first the connection, so that the cancelled stage cannot fail its job: the job is to go back to the queue
    this.connection.disconnect();
    this.controller.abort();
    this.drop();
  }

  /** Computes a job, as the stage in hand meanwhile. */
  private async process(job: Job<StageJobData>): Promise<void> {
    const label = `${job.data.stageId} (${job.data.stageType}) ${job.data.key.slice(0, 12)}`;
    const done = this.compute(job, label);
    this.inHand = { label, done: done.catch(() => undefined) };
    try {
      await done;
    } finally {
      this.inHand = undefined;
    }
  }

  private async compute(job: Job<StageJobData>, label: string): Promise<void> {
    const data = job.data;
    const report = (r: StageJobReport) => job.updateProgress(r).catch(() => undefined);
    await report({ kind: 'started', worker: this.name, attempt: job.attemptsStarted });
    this.options.say(
      `${time()} ${label}: started${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`,
    );
    try {
      const pipeline = validateConfig(data.config, await this.registry(data), data.configFile);
      const result = await computeDispatchedStage(pipeline, data, {
        cache: this.options.cache,
        codecs: this.codecs,
        workDir: data.workDir,
        signal: this.controller.signal,
        progress: throttled((progress) => void report({ kind: 'progress', progress })),
        log: (message) => void report({ kind: 'log', message }),
        environment: { backend: this.options.backend, worker: this.name },
      });
      this.options.say(
        `${time()} ${label}: ${result.computed ? `done in ${(result.durationMs / 1000).toFixed(1)} s` : 'already in the cache'}`,
      );
    } catch (error) {
      const message = (error as Error).message;
      this.options.say(`${time()} ${label}: failed: ${message.split('\n')[0]}`);
      await report({ kind: 'error', userError: isUserInputError(error), message });
      // a worker whose code or data differ will differ on every try; a cancel is this worker stopping
      if (error instanceof KeyMismatchError || isUserInputError(error)) throw new UnrecoverableError(message);
      if (error instanceof CancelledError) throw new Error(`worker ${this.name} stopped during the stage`);
      throw error;
    }
  }

  /** The stage registry for a job's config: the built-ins and its plugins, loaded once per plugin list. */
  private registry(data: StageJobData): Promise<StageRegistry> {
    const plugins = (data.config as { plugins?: unknown })?.plugins ?? [];
    const id = sha256(canonicalJson({ plugins, configFile: data.configFile }));
    if (!this.registries.has(id)) {
      const loading = registryFor(data.config, BUILT_IN_PLUGINS, data.configFile, PORT_KINDS);
      // a plugin that failed to load (not copied here yet, say) is tried again by the next job, not failed for good
      loading.catch(() => this.registries.get(id) === loading && this.registries.delete(id));
      this.registries.set(id, loading);
    }
    return this.registries.get(id)!;
  }
}

/** How a worker stopped: `abandoned` when it dropped a stage in hand (named) or could not close without Redis. */
export interface StopOutcome {
  abandoned: boolean;
  stage?: string;
}

/** Progress at most four times a second, but a new epoch at once: the queue's event stream is not a firehose. */
function throttled(send: (progress: StageProgress) => void): (progress: StageProgress) => void {
  let last = 0;
  let lastEpoch: number | undefined;
  return (progress) => {
    const now = Date.now();
    if (now - last < 250 && progress.epoch === lastEpoch) return;
    last = now;
    lastEpoch = progress.epoch;
    send(progress);
  };
}

function time(): string {
  return new Date().toISOString().slice(11, 19);
}
