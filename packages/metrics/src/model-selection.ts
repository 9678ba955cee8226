import type { CandidateFigures, ModelSelection } from '@stagegraph/contracts';

export type { CandidateFigures, ModelSelection };

/**
 * Ranks candidate models by one metric (ties keep the config's order, NaN last) and keeps every candidate's
 * numeric metrics, so the report shows all of them, not only the winner.
 */
export function selectModel(
  candidates: Record<string, Record<string, unknown>>,
  metric: string,
  goal: 'min' | 'max',
): ModelSelection {
  const models: Record<string, CandidateFigures> = {};
  for (const [name, metrics] of Object.entries(candidates)) {
    models[name] = Object.fromEntries(
      Object.entries(metrics).filter(([, v]) => typeof v === 'number'),
    ) as CandidateFigures;
    if (typeof models[name][metric] !== 'number') {
      const known = Object.keys(models[name]);
      throw new Error(
        `candidate ${name}: expected a number for "${metric}", got none; its metrics are ${known.join(', ')}`,
      );
    }
  }
  const sign = goal === 'min' ? 1 : -1;
  // NaN (a metric undefined for a candidate) ranks last; a sort comparing it would order nothing reliably
  const score = (name: string) => (Number.isNaN(models[name][metric]) ? Infinity : sign * models[name][metric]);
  const ranking = Object.keys(models).sort((a, b) => (score(a) === score(b) ? 0 : score(a) < score(b) ? -1 : 1));
  return { models, ranking, best: ranking[0], metric, goal };
}
