import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeBackend, selectBackend, type BackendName } from '@stagegraph/core-tensor';
import {
  applyOverrides,
  CancelledError,
  ConfigError,
  didYouMean,
  halvingRungs,
  planTrials,
  readConfig,
  registryFor,
  validateConfig,
  writeFileAtomic,
  type HalvingRung,
  type StageRegistry,
  type Sweep,
} from '@stagegraph/pipeline';
import type { Output } from '../output.js';
import { formatDuration, formatNumber } from '../render/format.js';
import { describeParams, shortNames, textTable } from '../render/table.js';
import { BUILT_IN_PLUGINS, PORT_KINDS } from '../workspace-registry.js';
import { openCache } from '../cache/open-cache.js';
import { timestampedName } from '../run-folder.js';
import { ensureWritableDir } from '../writable-dir.js';
import { relocateConfig } from './best-config.js';
import { rankTrials, sweepDir, writeSweepRecord, type SweepRecord, type TrialRecord } from './sweep-record.js';
import { runTrial, TrialPool, type TrialContext, type TrialRequest } from './trial-runner.js';
import type { QueueArgs } from '../queue/queue-args.js';

export interface SweepArgs {
  config: string;
  set: string[];
  backend?: BackendName;
  threads?: number;
  cacheDir: string;
  out: string;
  json: boolean;
  /** Trials at once, each in its own worker process on one thread (default 1: in this process). */
  jobs?: number;
  /** Print the table and the best trial only, not each trial as it starts and ends. */
  quiet?: boolean;
  /** Compute the trials' stages on this queue's workers; trials are then queued at once (up to `jobs`) from this process. */
  queue?: QueueArgs;
}

/**
 * `stagegraph sweep`: runs a config's trials one after another through the shared cache (stages
 * whose inputs and params are the same in every trial run once), records them in
 * `<out>/sweeps/<id>/sweep.json`, prints them sorted by the objective and writes the best trial as
 * a config `stagegraph run` takes.
 */
export async function sweepCommand(args: SweepArgs, output: Output): Promise<void> {
  const raw = readConfig(args.config, args.set) as Record<string, unknown>;
  const registry = await registryFor(raw, BUILT_IN_PLUGINS, args.config, PORT_KINDS);
  const base = validateConfig(raw, registry, args.config);
  const sweep = base.config.sweep;
  if (!sweep) throw new ConfigError(['sweep: expected a "sweep" block naming the params to vary (see the README, "Sweeps")'], args.config);
  const plan = new TrialConfigs(raw, sweep, registry, args.config);
  const trials = planTrials(sweep, base.seed);
  trials.forEach((t) => plan.validate(t.params, sweep.budget?.min)); // every trial's values, before anything runs
  if (sweep.budget) plan.validate(trials[0].params, sweep.budget.max);

  await ensureWritableDir(args.out, '--out');
  const { backend, skipped, threads, threadsNotice } = await selectBackend(args.backend, {
    threads: args.threads,
    parallelWork: base.stages.some((stage) => stage.definition.prefersThreads),
  });
  const context: TrialContext = { cache: await openCache(args.cacheDir), registry }; // a bad cache folder stops the sweep before any trial
  if (args.queue)
    context.executor = await (await import('../queue/queue-executor.js')).QueueExecutor.open({ ...args.queue, cache: context.cache, notice: (line) => output.err(`${line}\n`) });
  const startedAt = new Date();
  const id = timestampedName(`${base.name}-sweep`, startedAt);
  await mkdir(sweepDir(args.out, id), { recursive: true });
  const record: SweepRecord = {
    id,
    pipeline: base.name,
    configFile: args.config,
    status: 'running',
    startedAt: startedAt.toISOString(),
    sweep,
    trials: trials.map((t) => ({ ...t, status: 'pending', runs: [] })),
  };
  const save = () => writeSweepRecord(args.out, record);
  await save();
  const say = new SweepProgress(record, output, args.json, args.quiet);
  const pool = !context.executor && args.jobs && args.jobs > 1 ? new TrialPool(Math.min(args.jobs, trials.length)) : undefined;
  // Ctrl-C or SIGTERM, for the whole sweep: a trial running here is cancelled by its own run, workers
  // cancel theirs and say so, and no trial starts after (between trials the default would kill the
  // process and leave sweep.json "running")
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    pool?.cancel();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  const endCancelled = async (where: string) => {
    record.status = 'cancelled';
    record.durationMs = Date.now() - startedAt.getTime();
    await save();
    throw new CancelledError(`the sweep, ${where}; sweep.json has the trials that finished`);
  };
  say.start(describeBackend(backend, threads), skipped, threadsNotice);

  const runOne = async (trial: TrialRecord, rung?: HalvingRung) => {
    if (cancelled) return endCancelled(`before trial ${trial.trial}`);
    trial.status = 'running';
    await save();
    say.trialStart(trial, rung);
    try {
      const request: TrialRequest = {
        configFile: args.config,
        config: plan.config(trial.params, rung?.budget),
        label: plan.label(trial.params, rung?.budget),
        out: args.out,
        cacheDir: args.cacheDir,
        backend,
        threads: pool ? 1 : threads,
        sweep: { id, trial: trial.trial, rung: rung?.rung, budget: rung?.budget, params: trial.params },
      };
      const result = pool ? await pool.run(request) : await runTrial(request, context);
      const objective = result.metrics[sweep.objective.metric];
      if (!(sweep.objective.metric in result.metrics)) {
        const names = Object.keys(result.metrics).filter((k) => typeof result.metrics[k] === 'number');
        throw new ConfigError(
          [`sweep.objective.metric: expected one of the run's metrics (${names.join(', ')}), got "${sweep.objective.metric}"${didYouMean(sweep.objective.metric, names)}`],
          args.config,
        );
      }
      const computed = result.stages.filter((s) => !s.cached).map((s) => s.id);
      trial.runs.push({ run: basename(result.dir), rung: rung?.rung, budget: rung?.budget, objective: Number(objective), durationMs: result.durationMs, computed });
      trial.budget = rung?.budget;
      if (typeof objective === 'number' && Number.isFinite(objective)) {
        trial.objective = objective;
        trial.status = 'completed';
      } else {
        trial.status = 'failed';
        trial.error = `${sweep.objective.metric} is ${JSON.stringify(objective)}, not a number`;
      }
    } catch (error) {
      // a bad objective or a cancel ends the sweep; a trial that fails (diverged, bad values) does not
      if (error instanceof CancelledError || error instanceof ConfigError) {
        trial.status = error instanceof CancelledError ? 'cancelled' : 'failed';
        record.status = error instanceof CancelledError ? 'cancelled' : 'failed';
        record.durationMs = Date.now() - startedAt.getTime();
        await save();
        throw error;
      }
      trial.status = 'failed';
      trial.error = (error as Error).message.split('\n')[0];
    }
    await save();
    say.trialEnd(trial);
  };

  /**
   * One after another in this process; with --jobs, the first alone (it computes the stages all
   * trials share), then the rest at once. On a queue, all at once (up to --jobs): a stage two
   * trials share is one job, which both wait for.
   */
  const runAll = async (trials: TrialRecord[], rung?: HalvingRung, first = true) => {
    if (context.executor) {
      const atOnce = args.jobs ?? trials.length;
      // each run in flight listens for Ctrl-C and SIGTERM: a dozen trials are not a listener leak
      process.setMaxListeners(Math.max(process.getMaxListeners(), atOnce + 10));
      return settleAll(trials, (trial) => runOne(trial, rung), atOnce);
    }
    if (!pool) {
      for (const trial of trials) await runOne(trial, rung);
      return;
    }
    if (first && trials.length) await runOne(trials[0], rung);
    await settleAll(first ? trials.slice(1) : trials, (trial) => runOne(trial, rung), trials.length);
  };
  const better = rankTrials(sweep.objective.goal);
  try {
    if (sweep.method === 'halving') {
      let alive = record.trials;
      for (const rung of halvingRungs(record.trials.length, sweep.budget!)) {
        const promoted = alive.slice(0, rung.keep);
        for (const trial of alive.slice(rung.keep)) trial.status = 'stopped early';
        for (const trial of promoted) trial.status = 'pending';
        await runAll(promoted, rung, rung.rung === 0);
        alive = promoted.filter((t) => t.status === 'completed').sort(better);
      }
    } else {
      await runAll(record.trials);
    }
  } finally {
    pool?.close();
    await context.executor?.close();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }

  const finished = record.trials.filter((t) => t.status === 'completed').sort(better);
  const best = finished[0];
  if (best) {
    const bestFile = join(sweepDir(args.out, id), 'best.json');
    const config = relocateConfig(plan.config(best.params, sweep.budget?.max), args.config, bestFile);
    config.description = `The best trial (${best.trial}) of sweep ${id}, by ${sweep.objective.metric}: ${describeParams(best.params)}.${raw.description ? ` ${raw.description}` : ''}`;
    await writeFileAtomic(bestFile, JSON.stringify(config, null, 2) + '\n');
    record.best = { trial: best.trial, objective: best.objective!, run: best.runs.at(-1)!.run, config: bestFile };
  }
  record.status = best ? 'completed' : 'failed';
  record.durationMs = Date.now() - startedAt.getTime();
  await save();
  say.end();
  if (!best) throw new Error(`sweep ${id}: every trial failed (${record.trials.find((t) => t.error)?.error ?? 'see sweep.json'})`);
}

/** The config of each trial: the config as written, without its sweep, with the trial's values set. */
class TrialConfigs {
  private readonly plain: Record<string, unknown>;

  constructor(
    raw: Record<string, unknown>,
    private readonly sweep: Sweep,
    private readonly registry: StageRegistry,
    private readonly file: string,
  ) {
    const { sweep: _sweep, ...plain } = raw;
    this.plain = plain;
    const stages = Object.keys((plain.stages ?? {}) as object);
    const paths = [...Object.keys(sweep.params).map((p) => [`sweep.params.${p}`, p]), ...(sweep.budget ? [['sweep.budget.param', sweep.budget.param]] : [])];
    const issues = paths.flatMap(([at, path]) => {
      const [head, stage] = path.split('.');
      if (head !== 'stages' && head !== 'seed') return [`${at}: expected a path into stages.<id>.params or seed, got "${path}"`];
      return head === 'stages' && !stages.includes(stage) ? [`${at}: no stage "${stage}"${didYouMean(stage, stages)}`] : [];
    });
    if (issues.length) throw new ConfigError(issues, file);
  }

  config(params: Record<string, unknown>, budget?: number): Record<string, unknown> {
    const values = { ...params, ...(budget !== undefined && { [this.sweep.budget!.param]: budget }) };
    return applyOverrides(
      this.plain,
      Object.entries(values).map(([path, value]) => `${path}=${JSON.stringify(value)}`),
      this.file,
    ) as Record<string, unknown>;
  }

  /** How errors name a trial's config: the file and the trial's values. */
  label(params: Record<string, unknown>, budget?: number): string {
    return `${this.file} (sweep values ${describeParams({ ...params, ...(budget !== undefined && { [this.sweep.budget!.param]: budget }) })})`;
  }

  validate(params: Record<string, unknown>, budget?: number) {
    return validateConfig(this.config(params, budget), this.registry, this.label(params, budget));
  }
}

/** The sweep's lines: each trial as it starts and ends with the best so far, then a table sorted by the objective. */
class SweepProgress {
  private readonly began = Date.now();

  constructor(
    private readonly record: SweepRecord,
    private readonly output: Output,
    private readonly json: boolean,
    private readonly quiet = false,
  ) {}

  /** A progress event: a JSON line with --json, a text line unless --quiet. */
  private emit(event: Record<string, unknown>, text: string) {
    if (this.json) this.output.out(JSON.stringify(event) + '\n');
    else if (!this.quiet) this.output.out(text + '\n');
  }

  start(backend: string, skipped: string[], notice?: string) {
    const { sweep, trials } = this.record;
    const what =
      sweep.method === 'halving'
        ? `${trials.length} trials, successive halving on ${sweep.budget!.param} from ${sweep.budget!.min} to ${sweep.budget!.max} (eta ${sweep.budget!.eta})`
        : `${trials.length} trials`;
    this.emit(
      { type: 'sweep-start', id: this.record.id, method: sweep.method, trials: trials.length, objective: sweep.objective, backend },
      `sweep ${this.record.id}: ${sweep.method}, ${what}, ${sweep.objective.goal}imize ${sweep.objective.metric}\nbackend: ${backend}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`,
    );
    if (notice && !this.json) this.output.err(`note: ${notice}\n`);
  }

  trialStart(trial: TrialRecord, rung?: HalvingRung) {
    const at = rung ? ` rung ${rung.rung} (${rung.budget} epochs)` : '';
    this.emit(
      { type: 'trial-start', trial: trial.trial, params: trial.params, rung: rung?.rung, budget: rung?.budget },
      `trial ${trial.trial}/${this.record.trials.length}${at}: ${describeParams(trial.params)}`,
    );
  }

  trialEnd(trial: TrialRecord) {
    const { objective } = this.record.sweep;
    const counts = { done: 0, running: 0, left: 0 };
    for (const t of this.record.trials) {
      if (t.status === 'running') counts.running++;
      else if (t.status === 'pending') counts.left++;
      else counts.done++;
    }
    const best = this.bestSoFar();
    const last = trial.runs.at(-1);
    const result = trial.status === 'completed' ? `${objective.metric}=${formatNumber(trial.objective)}` : `failed: ${trial.error}`;
    this.emit(
      {
        type: 'trial-end',
        trial: trial.trial,
        status: trial.status,
        objective: trial.objective,
        run: last?.run,
        error: trial.error,
        best: best && { trial: best.trial, objective: best.objective },
        ...counts,
      },
      `  trial ${trial.trial} ${result}${last ? ` in ${formatDuration(last.durationMs)} (${last.computed.length} stages computed)` : ''}; ` +
        `best so far: ${best ? `trial ${best.trial} ${objective.metric}=${formatNumber(best.objective)}` : 'none'}; ${counts.done} done, ${counts.running} running, ${counts.left} left`,
    );
  }

  /** Halving compares trials at the largest budget they have all reached; others compare the latest objective. */
  private bestSoFar(): TrialRecord | undefined {
    const done = this.record.trials.filter((t) => t.objective !== undefined && t.status !== 'failed');
    return done.sort(rankTrials(this.record.sweep.objective.goal))[0];
  }

  end() {
    const { sweep, trials, best } = this.record;
    const stageRuns: Record<string, number> = {};
    for (const run of trials.flatMap((t) => t.runs)) for (const stage of run.computed) stageRuns[stage] = (stageRuns[stage] ?? 0) + 1;
    const runs = trials.reduce((n, t) => n + t.runs.length, 0);
    if (this.json) {
      this.emit({ type: 'sweep-end', id: this.record.id, status: this.record.status, best, runs, stageRuns, durationMs: this.record.durationMs }, '');
      return;
    }
    const names = shortNames(Object.keys(sweep.params));
    const order = [...trials].sort(rankTrials(sweep.objective.goal));
    const rows = order.map((t) => ({
      trial: t.trial,
      ...Object.fromEntries(Object.entries(t.params).map(([p, v]) => [names.get(p)!, typeof v === 'number' ? v : JSON.stringify(v)])),
      ...(sweep.budget && { epochs: t.budget }),
      [sweep.objective.metric]: t.objective,
      status: t.status,
      time: formatDuration(t.runs.reduce((s, r) => s + r.durationMs, 0)),
    }));
    const columns = ['trial', ...names.values(), ...(sweep.budget ? ['epochs'] : []), sweep.objective.metric, 'status', 'time'];
    this.output.out(`\n${textTable({ columns, rows })}`);
    this.output.out(
      `${runs} runs in ${formatDuration(Date.now() - this.began)}; stage runs: ${
        Object.entries(stageRuns)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ') || 'none (every stage from the cache)'
      }\n`,
    );
    if (best) {
      this.output.out(`best: trial ${best.trial}, ${sweep.objective.metric}=${formatNumber(best.objective)} (run ${best.run})\n`);
      this.output.out(`best config: ${best.config}  (stagegraph run ${best.config})\n`);
    }
    this.output.out(`compare: stagegraph runs compare --sweep ${this.record.id}\n`);
  }
}

/** `run` on every item, at most `limit` at once; after all have settled, the first failure is thrown. */
async function settleAll<T>(items: T[], run: (item: T) => Promise<void>, limit: number): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  const lane = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item).catch((error: unknown) => void failures.push(error));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length) throw failures[0];
}
