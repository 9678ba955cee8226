import {
  applyOverrides,
  ConfigError,
  didYouMean,
  planTrials,
  validateConfig,
  type StageRegistry,
  type Sweep,
} from '@stagegraph/pipeline';
import { describeParams } from '../render/table.js';

/** The config of each trial: the config as written, without its sweep, with the trial's values set. */
export class TrialConfigs {
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
    const paths = [
      ...Object.keys(sweep.params).map((p) => [`sweep.params.${p}`, p]),
      ...(sweep.budget ? [['sweep.budget.param', sweep.budget.param]] : []),
    ];
    const issues = paths.flatMap(([at, path]) => {
      const [head, stage] = path.split('.');
      if (head !== 'stages' && head !== 'seed')
        return [`${at}: expected a path into stages.<id>.params or seed, got "${path}"`];
      return head === 'stages' && !stages.includes(stage)
        ? [`${at}: no stage "${stage}"${didYouMean(stage, stages)}`]
        : [];
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

/** A sweep's trials, each trial's config validated before anything runs: what `sweep` and `validate` both check. */
export function planSweep(
  raw: Record<string, unknown>,
  sweep: Sweep,
  registry: StageRegistry,
  file: string,
  seed: number,
) {
  const plan = new TrialConfigs(raw, sweep, registry, file);
  const trials = planTrials(sweep, seed);
  trials.forEach((t) => plan.validate(t.params, sweep.budget?.min));
  if (sweep.budget) plan.validate(trials[0].params, sweep.budget.max);
  return { plan, trials };
}
