import type { EpochRecord } from '@stagegraph/contracts';
import type { TopLevelSpec } from 'vega-lite';

/**
 * The confusion matrix as a heatmap with the count in each cell (true class down, predicted across),
 * its rows and columns labelled with `classNames` in their order where given, else with class codes.
 */
export function confusionMatrixSpec(
  matrix: number[][],
  title = 'Confusion matrix',
  classNames?: readonly string[],
): TopLevelSpec {
  const name = (code: number) => classNames?.[code] ?? String(code);
  const rows = matrix.flatMap((row, actual) =>
    row.map((count, predicted) => ({ actual: name(actual), predicted: name(predicted), count })),
  );
  const max = Math.max(...rows.map((r) => r.count));
  // names keep the classes' order (an ordinal axis would sort them), and long ones are slanted to fit a cell
  const order = classNames ? { sort: [...classNames] } : {};
  const slanted = classNames?.some((n) => n.length > 3);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    width: 36 * matrix.length,
    height: 36 * matrix.length,
    data: { values: rows },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', title: 'Predicted', axis: { labelAngle: slanted ? -40 : 0 }, ...order },
      y: { field: 'actual', type: 'ordinal', title: 'Actual', ...order },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', type: 'sqrt' }, legend: null },
          tooltip: [{ field: 'actual' }, { field: 'predicted' }, { field: 'count', type: 'quantitative' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** An epoch of a training history (TRAINING_HISTORY): loss, validation loss and every compiled metric. */
export type EpochMetrics = EpochRecord;

/** Loss and accuracy per epoch, training and validation, side by side; each point's values on hover. */
export function trainingCurvesSpec(epochs: EpochMetrics[], title = 'Training curves'): TopLevelSpec {
  const rows = epochs.flatMap((e) => {
    const out = [{ epoch: e.epoch, panel: 'loss', curve: 'training', value: e.loss }];
    if (e.valLoss !== undefined) out.push({ epoch: e.epoch, panel: 'loss', curve: 'validation', value: e.valLoss });
    for (const [name, value] of Object.entries(e.metrics)) {
      const validation = name.startsWith('val_');
      out.push({
        epoch: e.epoch,
        panel: validation ? name.slice(4) : name,
        curve: validation ? 'validation' : 'training',
        value,
      });
    }
    return out;
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'curve',
          type: 'nominal',
          title: null,
          scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
