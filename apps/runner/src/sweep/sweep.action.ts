import { numericMetricPaths } from '../metric-paths.js';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  CancelledError,
  ConfigError,
  didYouMean,
  readConfig,
  registryFor,
  validateConfig,
  writeFileAtomic,
  type HalvingRung,
  type Sweep,
} from '@stagegraph/pipeline';
import { openCache } from '../cache/open-cache.js';
import type { SweepCommandArgs } from '../commands/sweep.command.js';
import { runNameArg, wholeNumberArg } from '../number-args.js';
import type { Output } from '../output.js';
import { queueOptions } from '../queue/queue-args.js';
import { describeParams } from '../render/table.js';
import type { RunResult } from '../run-folder.js';
import { timestampedName } from '../run-folder.js';
import { LazyBackend } from '../tensors/lazy-backend.js';
import { BUILT_IN_PLUGINS, PORT_KINDS } from '../workspace-registry.js';
import { ensureWritableDir } from '../writable-dir.js';
import { relocateConfig } from './best-config.js';
import { rankTrials, sweepDir, writeSweepRecord, type SweepRecord, type TrialRecord } from './sweep-record.js';
import { SweepProgress } from './sweep-progress.js';
import { planSweep, type TrialConfigs } from './trial-configs.js';
import { runTrial, TrialPool, type TrialContext } from './trial-runner.js';
import { scheduleTrials, type TrialSchedule } from './trial-scheduler.js';

/** A sweep under way: its trials' configs, what they share, its record and its lines. */
interface SweepRun {
  args: SweepCommandArgs;
  sweep: Sweep;
  plan: TrialConfigs;
  context: TrialContext;
  pool?: TrialPool;
  record: SweepRecord;
  say: SweepProgress;
  startedAt: Date;
  /** Set by Ctrl-C or SIGTERM: no trial starts after. */
  cancelled: boolean;
}

/**
 * `stagegraph sweep`: runs a config's trials through the shared cache (stages whose inputs and
 * params are the same in every trial run once), records them in `<out>/sweeps/<id>/sweep.json`,
 * prints them sorted by the objective and writes the best trial as a config `stagegraph run` takes.
 */
export async function sweepAction(args: SweepCommandArgs, output: Output): Promise<void> {
  const queue = queueOptions(args);
  const jobs = wholeNumberArg('--jobs', args.jobs, 1);
  runNameArg(args.name);
  const threads = wholeNumberArg('--threads', args.threads, 1, 1024);
  const raw = readConfig(args.config, args.set) as Record<string, unknown>;
  const registry = await registryFor(raw, BUILT_IN_PLUGINS, args.config, PORT_KINDS);
  const base = validateConfig(raw, registry, args.config);
  const sweep = base.config.sweep;
  if (!sweep)
    throw new ConfigError(
      ['sweep: expected a "sweep" block naming the params to vary (see the README, "Sweeps")'],
      args.config,
    );
  const { plan, trials } = planSweep(raw, sweep, registry, args.config, base.seed); // every trial's values, before anything runs

  await ensureWritableDir(args.out, '--out');
  const backend = new LazyBackend({
    backend: args.backend,
    threads,
    parallelWork: base.stages.some((stage) => stage.definition.prefersThreads),
  });
  const chosen = await backend.select();
  const context: TrialContext = { cache: await openCache(args.cacheDir), registry, backend }; // a bad cache folder stops the sweep before any trial
  if (queue)
    context.executor = await (
      await import('../queue/queue-executor.js')
    ).QueueExecutor.open({ ...queue, cache: context.cache, notice: (line) => output.err(`${line}\n`) });
  const startedAt = new Date();
  const id = timestampedName(`${args.name ?? base.name}-sweep`, startedAt);
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
  await writeSweepRecord(args.out, record);
  const pool = !queue && jobs && jobs > 1 ? new TrialPool(Math.min(jobs, trials.length)) : undefined;
  const run: SweepRun = {
    args,
    sweep,
    plan,
    context,
    pool,
    record,
    say: new SweepProgress(record, output, args.json, args.quiet),
    startedAt,
    cancelled: false,
  };
  run.say.start(chosen.description, chosen.skipped, chosen.threadsNotice);
  // on a queue, trials at once (up to --jobs); with worker processes, one each; else one after another
  const schedule: TrialSchedule = queue
    ? { atOnce: jobs ?? trials.length, firstAlone: false }
    : { atOnce: pool?.size ?? 1, firstAlone: !!pool };
  // each run in flight listens for Ctrl-C and SIGTERM: a dozen trials are not a listener leak
  if (queue) process.setMaxListeners(Math.max(process.getMaxListeners(), schedule.atOnce + 10));
  await runTrials(run, schedule);
  await finish(run, raw.description);
}

/**
 * Every trial, as scheduled. Ctrl-C or SIGTERM, for the whole sweep: a trial running here is
 * cancelled by its own run, workers cancel theirs and say so, and no trial starts after (between
 * trials the default would kill the process and leave sweep.json "running").
 */
async function runTrials(run: SweepRun, schedule: TrialSchedule): Promise<void> {
  const cancel = () => {
    run.cancelled = true;
    run.pool?.cancel();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  try {
    await scheduleTrials(run.record, (trial, rung) => runOne(run, trial, rung), schedule);
  } finally {
    run.pool?.close();
    await run.context.executor?.close();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/** One trial, recorded in sweep.json as it starts and ends; throws only what ends the sweep (a cancel, an objective the runs lack). */
async function runOne(run: SweepRun, trial: TrialRecord, rung?: HalvingRung): Promise<void> {
  const { args, record, plan, say } = run;
  if (run.cancelled)
    return endSweep(
      run,
      'cancelled',
      new CancelledError(`the sweep, before trial ${trial.trial}; sweep.json has the trials that finished`),
    );
  trial.status = 'running';
  await writeSweepRecord(args.out, record);
  say.trialStart(trial, rung);
  try {
    const request = {
      configFile: args.config,
      config: plan.config(trial.params, rung?.budget),
      label: plan.label(trial.params, rung?.budget),
      out: args.out,
      cacheDir: args.cacheDir,
      backend: run.context.backend.chosen?.name,
      sweep: { id: record.id, trial: trial.trial, rung: rung?.rung, budget: rung?.budget, params: trial.params },
    };
    recordResult(run, trial, rung, run.pool ? await run.pool.run(request) : await runTrial(request, run.context));
  } catch (error) {
    // a bad objective or a cancel ends the sweep; a trial that fails (diverged, bad values) does not
    if (error instanceof CancelledError || error instanceof ConfigError) {
      trial.status = error instanceof CancelledError ? 'cancelled' : 'failed';
      if (error instanceof ConfigError) trial.error = error.message.split('\n')[0]; // sweep.json says why
      return endSweep(run, trial.status, error);
    }
    trial.status = 'failed';
    trial.error = (error as Error).message.split('\n')[0];
  }
  await writeSweepRecord(args.out, record);
  say.trialEnd(trial);
}

/** A trial's run into its record: the objective, or why the trial failed. */
function recordResult(run: SweepRun, trial: TrialRecord, rung: HalvingRung | undefined, result: RunResult): void {
  const { metric } = run.sweep.objective;
  const paths = numericMetricPaths(result.metrics);
  if (!(metric in result.metrics) && !(metric in paths)) {
    const names = Object.keys(paths);
    const shown =
      names.length > 12 ? `${names.slice(0, 12).join(', ')}, ... ${names.length - 12} more` : names.join(', ');
    throw new ConfigError(
      [
        `sweep.objective.metric: expected one of the run's metrics (${shown}), got "${metric}"${didYouMean(metric, names)}`,
      ],
      run.args.config,
    );
  }
  const objective = metric in paths ? paths[metric] : result.metrics[metric];
  const computed = result.stages.filter((s) => !s.cached).map((s) => s.id);
  trial.runs.push({
    run: basename(result.dir),
    rung: rung?.rung,
    budget: rung?.budget,
    objective: Number(objective),
    durationMs: result.durationMs,
    computed,
  });
  trial.budget = rung?.budget;
  if (typeof objective === 'number' && Number.isFinite(objective)) {
    trial.objective = objective;
    trial.status = 'completed';
  } else {
    trial.status = 'failed';
    trial.error = `${metric} is ${JSON.stringify(objective)}, not a number`;
  }
}

/** Ends the sweep early: sweep.json says how, then `error` is thrown. */
async function endSweep(run: SweepRun, status: 'cancelled' | 'failed', error: Error): Promise<never> {
  run.record.status = status;
  run.record.durationMs = Date.now() - run.startedAt.getTime();
  await writeSweepRecord(run.args.out, run.record);
  throw error;
}

/** The sweep's end: the best trial written as a config, sweep.json completed, the table. */
async function finish(run: SweepRun, description: unknown): Promise<void> {
  const { args, record, sweep } = run;
  const best = record.trials.filter((t) => t.status === 'completed').sort(rankTrials(sweep.objective.goal))[0];
  if (best) {
    const bestFile = join(sweepDir(args.out, record.id), 'best.json');
    const config = relocateConfig(run.plan.config(best.params, sweep.budget?.max), args.config, bestFile);
    config.description = `The best trial (${best.trial}) of sweep ${record.id}, by ${sweep.objective.metric}: ${describeParams(best.params)}.${description ? ` ${description}` : ''}`;
    await writeFileAtomic(bestFile, JSON.stringify(config, null, 2) + '\n');
    record.best = { trial: best.trial, objective: best.objective!, run: best.runs.at(-1)!.run, config: bestFile };
  }
  record.status = best ? 'completed' : 'failed';
  record.durationMs = Date.now() - run.startedAt.getTime();
  await writeSweepRecord(args.out, record);
  run.say.end();
  if (!best)
    throw new Error(
      `sweep ${record.id}: every trial failed (${record.trials.find((t) => t.error)?.error ?? 'see sweep.json'})`,
    );
}
