import type { CandidateFigures, ModelSelection } from '@stagegraph/contracts';

export type { CandidateFigures, ModelSelection };

/**
 * Ranks candidate models by one metric (ties keep the config's order) and keeps every candidate's
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
  const ranking = Object.keys(models).sort((a, b) => sign * (models[a][metric] - models[b][metric]));
  return { models, ranking, best: ranking[0], metric, goal };
}
