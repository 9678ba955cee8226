import type { TablePredictions } from '@stagegraph/contracts';
import type { TopLevelSpec } from 'vega-lite';
import { confusionMatrixSpec } from './classification-charts.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Rows `predictions` draws at most: every k-th of a larger test split (a scatter of 400,000 points is no figure). */
export const rowsDrawn = (count: number, most: number): number[] => {
  const step = Math.max(1, Math.ceil(count / most));
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
};

/**
 * Predicted against actual values, one point per row, with the line y = x on which a perfect model's
 * points would lie; both axes share one domain, so distance from the line reads the same either way.
 */
export function predictedVsActualSpec(actual: readonly number[], predicted: readonly number[], label: string) {
  const rows = actual.map((a, i) => ({ actual: a, predicted: predicted[i], error: a - predicted[i] }));
  const domain = [Infinity, -Infinity];
  for (const v of [...actual, ...predicted]) [domain[0], domain[1]] = [Math.min(domain[0], v), Math.max(domain[1], v)];
  const axis = (field: 'actual' | 'predicted', title: string) => ({
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain, zero: false, nice: false },
  });
  return {
    width: 360,
    height: 360,
    layer: [
      {
        data: {
          values: [
            { actual: domain[0], predicted: domain[0] },
            { actual: domain[1], predicted: domain[1] },
          ],
        },
        mark: { type: 'line' as const, color: '#888', strokeDash: [4, 3] },
        encoding: { x: axis('actual', `Actual ${label}`), y: axis('predicted', `Predicted ${label}`) },
      },
      {
        data: { values: rows },
        mark: { type: 'point' as const, filled: true, opacity: 0.6, size: 24, tooltip: true },
        encoding: { x: axis('actual', `Actual ${label}`), y: axis('predicted', `Predicted ${label}`) },
      },
    ],
  };
}

/** Permutation importance as bars, largest drop on top: the `most` features that matter most. */
export function importanceSpec(importance: readonly { feature: string; drop: number }[], most = 20) {
  const rows = [...importance].sort((a, b) => b.drop - a.drop).slice(0, most);
  return {
    title: `Permutation importance${importance.length > most ? ` (top ${most} of ${importance.length})` : ''}`,
    width: 260,
    height: 16 * rows.length,
    data: { values: rows },
    mark: { type: 'bar' as const, tooltip: true },
    encoding: {
      y: { field: 'feature', type: 'nominal' as const, title: null, sort: rows.map((r) => r.feature) },
      x: { field: 'drop', type: 'quantitative' as const, title: 'Score drop when shuffled' },
    },
  };
}

/**
 * A table model's figure: predicted against actual values (regression) or the confusion matrix
 * labelled with the class names (classification), with the permutation importance beside it when
 * the predictions carry it. `rows`: the rows drawn in the scatter.
 */
export function tableFigureSpec(
  p: TablePredictions,
  options: { title: string; rows: readonly number[]; features?: number },
): TopLevelSpec {
  let main: object;
  if (p.task === 'regression') {
    main = predictedVsActualSpec(
      options.rows.map((i) => p.actual[i]),
      options.rows.map((i) => p.predicted[i]),
      p.label,
    );
  } else {
    const classes = p.classes ?? [];
    const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
    p.actual.forEach((a, i) => matrix[a][p.predicted[i]]++);
    const { $schema: _, title: __, background: ___, ...heatmap } = confusionMatrixSpec(matrix, '', classes);
    main = heatmap;
  }
  const panels = p.importance?.length ? [main, importanceSpec(p.importance, options.features)] : [main];
  return (
    panels.length === 1
      ? { $schema: SCHEMA, title: options.title, background: 'white', ...main }
      : { $schema: SCHEMA, title: options.title, background: 'white', hconcat: panels, spacing: 40 }
  ) as TopLevelSpec;
}

/** The rows behind the figure, as its CSV download: each drawn row's actual and predicted value or class. */
export function tableFigureRows(p: TablePredictions, rows: readonly number[]) {
  if (p.task === 'regression')
    return rows.map((i) => ({ actual: p.actual[i], predicted: p.predicted[i], error: p.actual[i] - p.predicted[i] }));
  const name = (code: number) => p.classes?.[code] ?? String(code);
  return rows.map((i) => ({
    actual: name(p.actual[i]),
    predicted: name(p.predicted[i]),
    ...Object.fromEntries((p.probabilities?.[i] ?? []).map((v, k) => [`probability ${name(k)}`, v])),
  }));
}
