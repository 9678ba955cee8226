import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CancelledError, UserInputError, registryFor, validateConfig, type CacheStore, type StageRegistry } from '@stagegraph/pipeline';
import { openCache } from '../cache/open-cache.js';
import type { QueueExecutor } from '../queue/queue-executor.js';
import type { RunResult } from '../run-folder.js';
import type { SweepTrialFacts } from '../runs/run-records.js';
import { runPipeline } from '../run-pipeline.js';
import { BUILT_IN_PLUGINS, PORT_KINDS, workspaceCodecs } from '../workspace-registry.js';

/** One trial to run: its whole config (the trial's values applied), and where its results go. */
export interface TrialRequest {
  configFile: string;
  config: Record<string, unknown>;
  /** How errors name the config: the file and the trial's values. */
  label: string;
  out: string;
  cacheDir: string;
  backend: string;
  threads: number;
  sweep: SweepTrialFacts;
}

export type TrialReply = { ok: true; result: RunResult } | { ok: false; error: string; userError: boolean; cancelled: boolean };

/** What every trial of a sweep shares in one process: the open cache and the config's stage registry (its plugins loaded once). */
export interface TrialContext {
  cache: CacheStore;
  registry: StageRegistry;
  /** With --executor bullmq: the queue whose workers compute the trials' stages. */
  executor?: QueueExecutor;
}

/** The context of a sweep's trials, from the first request a process gets (a sweep cannot change its plugins or cache). */
export async function trialContext(request: TrialRequest): Promise<TrialContext> {
  return { cache: await openCache(request.cacheDir), registry: await registryFor(request.config, BUILT_IN_PLUGINS, request.configFile, PORT_KINDS) };
}

/** Runs one trial in this process: validate its config, run it through the cache. */
export async function runTrial(request: TrialRequest, { cache, registry, executor }: TrialContext, cancelled?: () => boolean): Promise<RunResult> {
  const pipeline = validateConfig(request.config, registry, request.label);
  return runPipeline(pipeline, {
    codecs: workspaceCodecs(),
    cache,
    out: request.out,
    configFile: request.configFile,
    backend: request.backend,
    threads: request.threads,
    force: false,
    sweep: request.sweep,
    cancelled,
    dispatcher: executor?.dispatcherFor({ config: pipeline.config, configFile: request.configFile, workDir: process.cwd() }),
  });
}

// The worker's built file. Under jest this module is the TypeScript source, so the worker comes from
// dist/, which the runner's tests build first (as they do for bin/stagegraph.js).
const WORKER = fileURLToPath(new URL('./trial-process.js', import.meta.url)).replace(/([\\/])src([\\/]sweep[\\/]trial-process\.js)$/, '$1dist$2');

/** N worker processes, each running one trial at a time: real parallelism for a sweep's trials. */
export class TrialPool {
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: ((worker: ChildProcess) => void)[] = [];
  private readonly all: ChildProcess[] = [];
  private cancelled = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      worker.stderr!.resume(); // tfjs' warnings: not for the sweep's output
      // a worker that ends while idle (killed while it was still starting) is never handed a trial
      worker.once('exit', () => this.idle.includes(worker) && this.idle.splice(this.idle.indexOf(worker), 1));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  async run(request: TrialRequest): Promise<RunResult> {
    const cancelled = () => new CancelledError(`trial ${request.sweep.trial}`);
    if (this.cancelled) throw cancelled();
    if (!this.all.some(alive)) throw new Error(`trial ${request.sweep.trial}: every worker process of the sweep has ended`);
    const worker = this.idle.pop() ?? (await new Promise<ChildProcess>((resolve) => this.waiting.push(resolve)));
    try {
      if (this.cancelled) throw cancelled(); // cancelled while it waited for a worker: it does not start
      const reply = await new Promise<TrialReply>((resolve, reject) => {
        const onExit = (code: number | null, signal: string | null) =>
          reject(this.cancelled ? cancelled() : new Error(`trial ${request.sweep.trial}: its worker process ended (${signal ?? `exit code ${code}`})`));
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
      if (alive(worker)) {
        const next = this.waiting.shift();
        if (next) next(worker);
        else this.idle.push(worker);
      }
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
