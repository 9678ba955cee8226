import { describe, expect, it } from '@jest/globals';
import { confusionMatrixSpec, trainingCurvesSpec } from './classification-charts.js';

/** The inline rows of a spec built by this package (they all carry their data). */
const rowsOf = (spec: object) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe('confusionMatrixSpec', () => {
  const spec = confusionMatrixSpec(
    [
      [5, 1],
      [0, 4],
    ],
    'Digits',
  );

  it('has one cell per (actual, predicted) pair with its count, true class down and predicted across', () => {
    expect(rowsOf(spec)).toEqual([
      { actual: '0', predicted: '0', count: 5 },
      { actual: '0', predicted: '1', count: 1 },
      { actual: '1', predicted: '0', count: 0 },
      { actual: '1', predicted: '1', count: 4 },
    ]);
    expect(spec).toMatchObject({
      title: 'Digits',
      width: 72,
      height: 72,
      encoding: { x: { field: 'predicted' }, y: { field: 'actual' } },
    });
  });

  it('writes counts above half the largest in white, on the dark cells', () => {
    const text = (spec as { layer: { encoding: { color?: { condition?: { test: string } } } }[] }).layer[1];
    expect(text.encoding.color?.condition?.test).toBe('datum.count > 2.5');
  });
});

describe('trainingCurvesSpec', () => {
  it("puts each metric in its own panel, a val_ metric as that panel's validation curve", () => {
    const spec = trainingCurvesSpec([
      { epoch: 1, loss: 0.9, valLoss: 1.1, metrics: { acc: 0.5, val_acc: 0.4 } },
      { epoch: 2, loss: 0.5, metrics: { acc: 0.8 } },
    ]);
    expect(rowsOf(spec)).toEqual([
      { epoch: 1, panel: 'loss', curve: 'training', value: 0.9 },
      { epoch: 1, panel: 'loss', curve: 'validation', value: 1.1 },
      { epoch: 1, panel: 'acc', curve: 'training', value: 0.5 },
      { epoch: 1, panel: 'acc', curve: 'validation', value: 0.4 },
      { epoch: 2, panel: 'loss', curve: 'training', value: 0.5 },
      { epoch: 2, panel: 'acc', curve: 'training', value: 0.8 },
    ]);
    expect(spec).toMatchObject({
      title: 'Training curves',
      facet: { column: { field: 'panel' } },
      resolve: { scale: { y: 'independent' } },
    });
  });
});
