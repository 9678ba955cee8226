import { fork, type ChildProcess } from 'node:child_process';
import type { BackendName } from '@stagegraph/core-tensor';
import { fileURLToPath } from 'node:url';
import {
  CancelledError,
  UserInputError,
  registryFor,
  validateConfig,
  type CacheStore,
  type StageRegistry,
} from '@stagegraph/pipeline';
import { openCache } from '../cache/open-cache.js';
import type { QueueExecutor } from '../queue/queue-executor.js';
import type { RunResult } from '../run-folder.js';
import type { SweepTrialFacts } from '../runs/run-records.js';
import { runPipeline } from '../run-pipeline.js';
import { LazyBackend } from '../tensors/lazy-backend.js';
import { BUILT_IN_PLUGINS, PORT_KINDS, workspaceCodecs } from '../workspace-registry.js';

/** One trial to run: its whole config (the trial's values applied), and where its results go. */
export interface TrialRequest {
  configFile: string;
  config: Record<string, unknown>;
  /** How errors name the config: the file and the trial's values. */
  label: string;
  out: string;
  cacheDir: string;
  /** For a worker process: the backend the sweep started (each worker starts its own, on one thread). */
  backend?: BackendName;
  sweep: SweepTrialFacts;
}

export type TrialReply =
  { ok: true; result: RunResult } | { ok: false; error: string; userError: boolean; cancelled: boolean };

/** What every trial of a sweep shares in one process: the open cache, the config's stage registry (its plugins loaded once), the backend. */
export interface TrialContext {
  cache: CacheStore;
  registry: StageRegistry;
  backend: LazyBackend;
  /** With --executor bullmq: the queue whose workers compute the trials' stages. */
  executor?: QueueExecutor;
}

/** The context of a sweep's trials, from the first request a process gets (a sweep cannot change its plugins or cache). */
export async function trialContext(request: TrialRequest): Promise<TrialContext> {
  return {
    cache: await openCache(request.cacheDir),
    registry: await registryFor(request.config, BUILT_IN_PLUGINS, request.configFile, PORT_KINDS),
    backend: new LazyBackend({ backend: request.backend, threads: 1 }),
  };
}

/** Runs one trial in this process: validate its config, run it through the cache. */
export async function runTrial(
  request: TrialRequest,
  { cache, registry, backend, executor }: TrialContext,
  cancelled?: () => boolean,
): Promise<RunResult> {
  const pipeline = validateConfig(request.config, registry, request.label);
  return runPipeline(pipeline, {
    codecs: workspaceCodecs(backend),
    cache,
    out: request.out,
    configFile: request.configFile,
    backend,
    force: false,
    sweep: request.sweep,
    cancelled,
    dispatcher: executor?.dispatcherFor({
      config: pipeline.config,
      configFile: request.configFile,
      workDir: process.cwd(),
    }),
  });
}

// The worker's built file. Under jest this module is the TypeScript source, so the worker comes from
// dist/, which the runner's tests build first (as they do for bin/stagegraph.js).
const WORKER = fileURLToPath(new URL('./trial-process.js', import.meta.url)).replace(
  /([\\/])src([\\/]sweep[\\/]trial-process\.js)$/,
  '$1dist$2',
);

/**
 * N worker processes, each running one trial at a time: real parallelism for a sweep's trials. The
 * sweep runs at most N at once (its one concurrency limiter), so a trial finds a worker idle; none
 * idle means one has ended, and a new one takes its place.
 */
export class TrialPool {
  private readonly idle: ChildProcess[] = [];
  private readonly all: ChildProcess[] = [];
  private cancelled = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.start());
  }

  private start(): ChildProcess {
    const worker = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    worker.stderr!.resume(); // tfjs' warnings: not for the sweep's output
    // a worker that ends while idle (killed while it was still starting) is never handed a trial
    worker.once('exit', () => this.idle.includes(worker) && this.idle.splice(this.idle.indexOf(worker), 1));
    this.all.push(worker);
    return worker;
  }

  async run(request: TrialRequest): Promise<RunResult> {
    const cancelled = () => new CancelledError(`trial ${request.sweep.trial}`);
    if (this.cancelled) throw cancelled();
    const worker = this.idle.pop() ?? this.start();
    try {
      const reply = await new Promise<TrialReply>((resolve, reject) => {
        const onExit = (code: number | null, signal: string | null) =>
          reject(
            this.cancelled
              ? cancelled()
              : new Error(`trial ${request.sweep.trial}: its worker process ended (${signal ?? `exit code ${code}`})`),
          );
        worker.once('exit', onExit);
        worker.once('message', (message) => {
          worker.off('exit', onExit);
          resolve(message as TrialReply);
        });
        if (!worker.connected) return onExit(worker.exitCode, worker.signalCode);
        worker.send(request, (error) => error && onExit(worker.exitCode, worker.signalCode));
      });
      if (reply.ok) return reply.result;
      if (reply.cancelled || this.cancelled) throw cancelled();
      throw reply.userError ? new UserInputError(reply.error) : new Error(reply.error);
    } finally {
      if (alive(worker)) this.idle.push(worker);
    }
  }

  /** Asks every worker to cancel its trial (their replies then say it was cancelled); no trial starts after. */
  cancel(): void {
    this.cancelled = true;
    for (const worker of this.all) if (alive(worker)) worker.kill('SIGTERM');
  }

  close(): void {
    for (const worker of this.all) if (worker.connected) worker.disconnect();
  }
}

const alive = (worker: ChildProcess) => worker.exitCode === null && worker.signalCode === null && worker.connected;
