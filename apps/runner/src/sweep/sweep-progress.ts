import type { HalvingRung } from '@stagegraph/pipeline';
import type { Output } from '../output.js';
import { formatDuration, formatNumber } from '../render/format.js';
import { describeParams, shortNames, textTable } from '../render/table.js';
import { rankTrials, type SweepRecord, type TrialRecord } from './sweep-record.js';

/** The sweep's lines: each trial as it starts and ends with the best so far, then a table sorted by the objective. */
export class SweepProgress {
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
      {
        type: 'sweep-start',
        id: this.record.id,
        method: sweep.method,
        trials: trials.length,
        objective: sweep.objective,
        backend,
      },
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
    const result =
      trial.status === 'completed' ? `${objective.metric}=${formatNumber(trial.objective)}` : `failed: ${trial.error}`;
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
    for (const run of trials.flatMap((t) => t.runs))
      for (const stage of run.computed) stageRuns[stage] = (stageRuns[stage] ?? 0) + 1;
    const runs = trials.reduce((n, t) => n + t.runs.length, 0);
    if (this.json) {
      this.emit(
        {
          type: 'sweep-end',
          id: this.record.id,
          status: this.record.status,
          best,
          runs,
          stageRuns,
          durationMs: this.record.durationMs,
        },
        '',
      );
      return;
    }
    const names = shortNames(Object.keys(sweep.params));
    const order = [...trials].sort(rankTrials(sweep.objective.goal));
    const rows = order.map((t) => ({
      trial: t.trial,
      ...Object.fromEntries(
        Object.entries(t.params).map(([p, v]) => [names.get(p)!, typeof v === 'number' ? v : JSON.stringify(v)]),
      ),
      ...(sweep.budget && { epochs: t.budget }),
      [sweep.objective.metric]: t.objective,
      status: t.status,
      time: formatDuration(t.runs.reduce((s, r) => s + r.durationMs, 0)),
    }));
    const columns = [
      'trial',
      ...names.values(),
      ...(sweep.budget ? ['epochs'] : []),
      sweep.objective.metric,
      'status',
      'time',
    ];
    this.output.out(`\n${textTable({ columns, rows })}`);
    this.output.out(
      `${runs} runs in ${formatDuration(Date.now() - this.began)}; stage runs: ${
        Object.entries(stageRuns)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ') || 'none (every stage from the cache)'
      }\n`,
    );
    if (best) {
      this.output.out(
        `best: trial ${best.trial}, ${sweep.objective.metric}=${formatNumber(best.objective)} (run ${best.run})\n`,
      );
      this.output.out(`best config: ${best.config}  (stagegraph run ${best.config})\n`);
    }
    this.output.out(`compare: stagegraph runs compare --sweep ${this.record.id}\n`);
  }
}
