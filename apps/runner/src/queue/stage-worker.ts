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
    options.say(`worker ${self.name}: taking stage jobs from queue "${options.queue}" at ${redisLabel(options.redis)} (backend ${options.backend})`);
    return self;
  }

  /** Finishes the stage in hand, then stops; `now` abandons it (it goes back to the queue once its lock runs out). */
  async close(now = false): Promise<void> {
    if (now) this.controller.abort();
    this.unwatch();
    await this.worker.close(now);
    this.connection.disconnect(); // BullMQ leaves a connection it was given open
  }

  private async process(job: Job<StageJobData>): Promise<void> {
    const data = job.data;
    const label = `${data.stageId} (${data.stageType}) ${data.key.slice(0, 12)}`;
    const report = (r: StageJobReport) => job.updateProgress(r).catch(() => undefined);
    await report({ kind: 'started', worker: this.name, attempt: job.attemptsStarted });
    this.options.say(`${time()} ${label}: started${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`);
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
      this.options.say(`${time()} ${label}: ${result.computed ? `done in ${(result.durationMs / 1000).toFixed(1)} s` : 'already in the cache'}`);
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
    if (!this.registries.has(id)) this.registries.set(id, registryFor(data.config, BUILT_IN_PLUGINS, data.configFile, PORT_KINDS));
    return this.registries.get(id)!;
  }
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
