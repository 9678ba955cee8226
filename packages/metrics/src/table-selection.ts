import type { CandidateFigures, ModelSelection, TableMetrics } from '@stagegraph/contracts';
import { selectModel } from './model-selection.js';

/** Metrics where lower is better; every other is ranked highest first. */
const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'rmseRatio', 'logLoss', 'trainSeconds', 'predictSeconds']);

/** The goal a metric is ranked by unless the config says otherwise. */
export const defaultGoal = (metric: string): 'min' | 'max' => (LOWER_IS_BETTER.has(metric) ? 'min' : 'max');

/**
 * Ranks table models scored on the same rows (selectModel ranks them), with the baseline always in
 * the table: for a regression, each model's RMSE over the baseline's (`rmseRatio`, below 1 beats
 * predicting the training mean), and a verdict sentence as a backtest's. The baseline is the
 * candidate named "baseline", else the one whose name or model says baseline (mean baseline,
 * majority-baseline). Throws an Error whose message starts with the field at fault (`inputs.<name>`,
 * `params.metric`) where the candidates cannot be ranked.
 */
export function selectTableModel(
  candidates: Record<string, TableMetrics>,
  metric?: string,
  goal?: 'min' | 'max',
): ModelSelection {
  const entries = Object.entries(candidates);
  checkComparable(entries);
  const baseline = findBaseline(entries);
  const task = entries[0][1].task;
  const by = metric ?? (task === 'regression' ? 'rmse' : 'accuracy');
  const figures: Record<string, CandidateFigures> = {};
  for (const [name, scores] of entries) {
    const { n: _rows, sample, ...rest } = scores;
    figures[name] = {
      ...numbersOf(rest),
      ...(scores.task === 'regression' && { rmseRatio: scores.rmse / (candidates[baseline] as typeof scores).rmse }),
      ...(sample && { sampleRows: sample.rows }),
    };
  }
  let selection: ModelSelection;
  try {
    selection = selectModel(figures, by, goal ?? defaultGoal(by));
  } catch (error) {
    throw new Error(`params.metric: ${(error as Error).message}`);
  }
  return { ...selection, baseline, verdict: verdict(selection, baseline, task) };
}

const numbersOf = (scores: object) =>
  Object.fromEntries(Object.entries(scores).filter(([, v]) => typeof v === 'number')) as CandidateFigures;

const describe = (m: TableMetrics) => `a ${m.task} of "${m.label}" on ${m.n} rows`;

/** Candidates compare only when they predicted the same label on the same rows. */
function checkComparable(entries: [string, TableMetrics][]): void {
  const [first, scores] = entries[0];
  for (const [name, other] of entries.slice(1)) {
    if (other.task !== scores.task || other.label !== scores.label || other.n !== scores.n)
      throw new Error(
        `inputs.${name}: expected ${describe(scores)} as candidate ${first}, got ${describe(other)}: candidates are ranked on the same rows`,
      );
  }
}

function findBaseline(entries: [string, TableMetrics][]): string {
  const named = entries.find(([name]) => name === 'baseline');
  const said = entries.find(([name, m]) => /baseline/i.test(name) || /baseline/i.test(m.model));
  const found = named ?? said;
  if (!found)
    throw new Error(
      `inputs: expected a baseline among the candidates (one named "baseline", or whose model is a mean or majority baseline), got none: ${entries.map(([name, m]) => `${name} (${m.model})`).join(', ')}`,
    );
  return found[0];
}

const shown = (value: number) => String(Number(value.toPrecision(3)));

/** One sentence, as a backtest's verdict: who ranked first, against the baseline by the same metric, and RMSE's change. */
function verdict(selection: ModelSelection, baseline: string, task: TableMetrics['task']): string {
  const { best, metric, goal, models } = selection;
  if (best === baseline) return `The baseline (${baseline}) ranked first by ${metric}: no model beat it.`;
  const against = `${metric} ${shown(models[best][metric])} against ${shown(models[baseline][metric])} for the baseline (${baseline})`;
  const lead = `${best} had the ${goal === 'min' ? 'lowest' : 'highest'} ${metric}`;
  if (task !== 'regression') return `${lead}: ${against}.`;
  const change = (1 - models[best].rmseRatio) * 100;
  return `${lead}: ${against}; ${Math.abs(change).toFixed(1)}% ${change >= 0 ? 'lower' : 'higher'} RMSE than the baseline.`;
}
