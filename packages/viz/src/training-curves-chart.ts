import type { EpochRecord } from '@stagegraph/contracts';
import type { TopLevelSpec } from 'vega-lite';

/** What the loss chart reads of each epoch of a training history (TRAINING_HISTORY). */
export type EpochLosses = Pick<EpochRecord, 'epoch' | 'loss' | 'valLoss'>;

/**
 * Training and validation loss per epoch (log scale: losses fall by orders of magnitude). In a
 * browser: each point's values on hover; a click on a legend entry shows that curve alone.
 */
export function lossChartSpec(epochs: EpochLosses[], title = 'Training and validation loss'): TopLevelSpec {
  const rows = epochs.flatMap((e) => [
    { epoch: e.epoch, loss: e.loss, curve: 'training' },
    ...(e.valLoss !== undefined ? [{ epoch: e.epoch, loss: e.valLoss, curve: 'validation' }] : []),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values: rows },
    params: [{ name: 'shown', select: { type: 'point', fields: ['curve'] }, bind: 'legend' }],
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      opacity: { condition: { param: 'shown', value: 1 }, value: 0.15 },
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', title: 'Loss', scale: { type: 'log' } },
      color: {
        field: 'curve',
        type: 'nominal',
        title: null,
        scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] },
      },
    },
  };
}
