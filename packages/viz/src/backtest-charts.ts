import type { Backtest, BacktestFold } from '@stagegraph/contracts';
import type { TopLevelSpec } from 'vega-lite';

/** What the backtest charts read of the forecast.backtest output (the BACKTEST contract). */
export type BacktestForPlot = Pick<Backtest, 'dates' | 'values' | 'models'> & {
  folds: Pick<BacktestFold, 'origin' | 'trainEnd' | 'actual' | 'predictions'>[];
};

const DASH: Record<string, number[]> = { baseline: [4, 3], learned: [] };

/** The refit points: where a fold trained on newer data than the fold before. */
const refits = (b: BacktestForPlot) =>
  b.folds
    .filter((f, i) => i === 0 || f.trainEnd !== b.folds[i - 1].trainEnd)
    .map((f) => ({ date: b.dates[f.trainEnd] }));

/** The actual series over the backtest and every model's forecast at each date: the chart's rows and its CSV download. */
export function backtestRows(b: BacktestForPlot) {
  const first = b.folds[0].origin;
  const last = b.folds.at(-1)!.origin + b.folds.at(-1)!.actual.length;
  const actual = b.dates
    .slice(first, last)
    .map((date, i) => ({ date, value: b.values[first + i], model: 'actual', kind: 'actual' }));
  const forecasts = b.folds.flatMap((f) =>
    b.models.flatMap(({ name, kind }) =>
      f.predictions[name].map((value, h) => ({ date: b.dates[f.origin + h], value, model: name, kind })),
    ),
  );
  return [...actual, ...forecasts];
}

/**
 * The actual series over the backtest period with every model's forecasts (learned solid, baselines
 * dashed) and a rule at each refit, where the models were trained again on the past up to there.
 * In a browser: zoom and pan on the time axis; a click on a legend entry shows that model alone.
 */
export function backtestChartSpec(b: BacktestForPlot, title = 'Backtest: actual and every model'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 900,
    height: 380,
    background: 'white',
    layer: [
      {
        data: { values: refits(b) },
        mark: { type: 'rule', color: '#bbb', strokeDash: [2, 2] },
        encoding: { x: { field: 'date', type: 'temporal' } },
      },
      {
        data: { values: backtestRows(b) },
        params: [
          { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' },
          { name: 'shown', select: { type: 'point', fields: ['model'] }, bind: 'legend' },
        ],
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          opacity: { condition: { param: 'shown', value: 1 }, value: 0.1 },
          x: { field: 'date', type: 'temporal', title: 'Date' },
          y: { field: 'value', type: 'quantitative', title: 'Value', scale: { zero: false } },
          color: { field: 'model', type: 'nominal', title: null, sort: ['actual', ...b.models.map((m) => m.name)] },
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: ['actual', 'learned', 'baseline'], range: [[], DASH.learned, DASH.baseline] },
          },
          detail: { field: 'model' },
        },
      },
    ],
  };
}

/** Forecast errors (actual - forecast) of each model over time, one row per model. */
export function residualChartSpec(b: BacktestForPlot, title = 'Residuals (actual - forecast)'): TopLevelSpec {
  const rows = b.folds.flatMap((f) =>
    b.models.flatMap(({ name }) =>
      f.predictions[name].map((p, h) => ({ date: b.dates[f.origin + h], residual: f.actual[h] - p, model: name })),
    ),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values: rows },
    facet: { row: { field: 'model', type: 'nominal', title: null, sort: b.models.map((m) => m.name) } },
    spec: {
      width: 900,
      height: 70,
      layer: [
        { mark: { type: 'rule', color: '#999' }, encoding: { y: { datum: 0 } } },
        {
          mark: { type: 'point', size: 8, filled: true, tooltip: true },
          encoding: {
            x: { field: 'date', type: 'temporal', title: 'Date' },
            y: { field: 'residual', type: 'quantitative', title: null },
          },
        },
      ],
    },
  };
}
