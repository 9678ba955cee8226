import type { ModelComparison, ModelNotRun, ModelScores } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { dieboldMariano, directionalAccuracy, mae, mape, mase, rmse, smape, theilU2 } from '@stagegraph/metrics';
import type { WalkForwardResult } from './walk-forward.js';

export type { ModelComparison, ModelNotRun, ModelScores };

const REFERENCE = 'persistence';

/**
 * Scores every model of a backtest over all its forecast points (origins in time order, steps
 * ahead within each), against persistence from the same origins: the persistence model must be
 * among them. MASE is scaled by the naive in-sample error before the first origin. Models the
 * backtest could not run (`result.notRun`) are listed with why, and the verdict names them.
 */
export function compareModels(
  result: Pick<WalkForwardResult, 'models' | 'folds'> & Partial<Pick<WalkForwardResult, 'notRun'>>,
  values: readonly number[],
): ModelComparison {
  if (!result.models.some((m) => m.name === REFERENCE))
    throw new DataError(
      `expected a "${REFERENCE}" model in the backtest to compare against, got ${result.models.map((m) => m.name).join(', ')}`,
    );
  const horizon = result.folds[0].actual.length;
  const actual = result.folds.flatMap((f) => f.actual);
  // the value before each forecast point, for U2 and direction: the last known value at its origin for step 1
  const prior = result.folds.flatMap((f) => f.actual.map((_, h) => values[f.origin + h - 1]));
  const inSample = values.slice(0, result.folds[0].origin);
  const series = (name: string) => result.folds.flatMap((f) => f.predictions[name]);
  const reference = series(REFERENCE);
  const referenceRmse = rmse(actual, reference);
  const std = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  };
  const testable = actual.length >= 3 && horizon < actual.length;
  const models: Record<string, ModelScores> = {};
  for (const { name, kind } of result.models) {
    const predicted = series(name);
    const foldRmse = result.folds.map((f) => rmse(f.actual, f.predictions[name]));
    const modelRmse = rmse(actual, predicted);
    const test =
      name === REFERENCE
        ? { statistic: 0, pValue: 1 }
        : testable
          ? dieboldMariano(actual, predicted, reference, horizon)
          : { statistic: null, pValue: null };
    models[name] = {
      kind,
      rmse: modelRmse,
      mae: mae(actual, predicted),
      mape: mape(actual, predicted),
      smape: smape(actual, predicted),
      mase: mase(actual, predicted, inSample),
      theilU2: theilU2(actual, predicted, prior),
      directionalAccuracy: directionalAccuracy(actual, predicted, prior),
      rmseRatio: modelRmse / referenceRmse,
      dmStatistic: test.statistic,
      dmPValue: test.pValue,
      foldRmseMean: foldRmse.reduce((a, b) => a + b, 0) / foldRmse.length,
      foldRmseStd: std(foldRmse),
    };
  }
  const best = Object.entries(models).sort(([, a], [, b]) => a.rmse - b.rmse)[0][0];
  const notRun = result.notRun ?? [];
  return {
    models,
    best,
    origins: result.folds.length,
    horizon,
    points: actual.length,
    verdict: verdict(best, models[best]) + notRunSentence(notRun),
    ...(notRun.length ? { notRun } : {}),
  };
}

/** The verdict's last words when a model did not run: its name and why, so a missing row is never a silent one. */
function notRunSentence(notRun: readonly ModelNotRun[]): string {
  if (notRun.length === 0) return '';
  const listed = notRun.map(({ name, reason }) => `${name}, ${reason}`).join('; ');
  return ` Not run on this series: ${listed}.`;
}

function verdict(best: string, scores: ModelScores): string {
  if (best === REFERENCE)
    return `Persistence (tomorrow = today) had the lowest RMSE: no model beat the naive forecast.`;
  const lead = `${((1 - scores.rmseRatio) * 100).toFixed(1)}% lower RMSE than persistence`;
  if (scores.dmPValue === null)
    return `${best} had the lowest RMSE (${lead}); too few forecast points for a Diebold-Mariano test of the difference.`;
  const significant = scores.dmPValue < 0.05;
  return `${best} had the lowest RMSE (${lead}); the Diebold-Mariano test ${significant ? 'finds' : 'does not find'} the difference significant at 5% (p = ${scores.dmPValue.toPrecision(2)}).`;
}
