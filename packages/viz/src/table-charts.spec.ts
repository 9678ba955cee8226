import { describe, expect, it } from '@jest/globals';
import type { Figure, TablePredictions } from '@stagegraph/contracts';
import { confusionMatrixSpec } from './classification-charts.js';
import { renderVegaLite } from './render-vega-lite.js';
import { tableFiguresStage } from './stages/table-figures.stage.js';
import { rowsDrawn, tableFigureRows, tableFigureSpec } from './table-charts.js';

const context = {
  stageId: 'forestPlot',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

const regression: TablePredictions = {
  task: 'regression',
  label: 'mpg',
  model: 'ridge',
  actual: [10, 20, 30],
  predicted: [12, 18, 35],
};
const classification: TablePredictions = {
  task: 'classification',
  label: 'origin',
  model: 'random-forest',
  classes: ['USA', 'Europe', 'Japan'],
  actual: [0, 0, 1, 2, 2],
  predicted: [0, 1, 1, 2, 0],
  probabilities: [
    [0.8, 0.1, 0.1],
    [0.4, 0.5, 0.1],
    [0.2, 0.7, 0.1],
    [0.1, 0.1, 0.8],
    [0.5, 0.2, 0.3],
  ],
  importance: [
    { feature: 'weight', drop: 0.1 },
    { feature: 'cylinders', drop: 0.3 },
  ],
};

type Layered = { layer: { data: { values: Record<string, number>[] }; mark: { type: string } }[] };
type Heatmap = { data: { values: Record<string, unknown>[] }; encoding: { x: { sort?: string[] } } };

describe('confusionMatrixSpec with class names', () => {
  it('labels cells with the names and keeps the classes’ order on both axes', () => {
    const spec = confusionMatrixSpec(
      [
        [3, 1],
        [0, 2],
      ],
      'Origin',
      ['USA', 'Europe'],
    ) as unknown as Heatmap & { encoding: { y: { sort?: string[] } } };
    expect(spec.data.values[1]).toEqual({ actual: 'USA', predicted: 'Europe', count: 1 });
    expect(spec.encoding.x.sort).toEqual(['USA', 'Europe']); // not alphabetical
    expect(spec.encoding.y.sort).toEqual(['USA', 'Europe']);
  });
});

describe('tableFigureSpec', () => {
  it('draws a regression as points of (actual, predicted) over the line y = x spanning both', () => {
    const spec = tableFigureSpec(regression, { title: 'T', rows: [0, 1, 2] }) as unknown as Layered;
    const [line, points] = spec.layer;
    expect(line.mark.type).toBe('line');
    expect(line.data.values).toEqual([
      { actual: 10, predicted: 10 },
      { actual: 35, predicted: 35 },
    ]);
    expect(points.data.values).toEqual([
      { actual: 10, predicted: 12, error: -2 },
      { actual: 20, predicted: 18, error: 2 },
      { actual: 30, predicted: 35, error: -5 },
    ]);
  });

  it('counts a classification’s confusion matrix by class name, with the importance bars beside it', () => {
    const spec = tableFigureSpec(classification, { title: 'T', rows: [0, 1, 2, 3, 4] }) as unknown as {
      hconcat: [Heatmap, { data: { values: { feature: string }[] }; encoding: { y: { sort: string[] } } }];
    };
    const [matrix, importance] = spec.hconcat;
    const count = (actual: string, predicted: string) =>
      matrix.data.values.find((c) => c.actual === actual && c.predicted === predicted)?.count;
    expect(count('USA', 'USA')).toBe(1);
    expect(count('USA', 'Europe')).toBe(1);
    expect(count('Japan', 'USA')).toBe(1);
    expect(count('Japan', 'Japan')).toBe(1);
    expect(count('Europe', 'Japan')).toBe(0);
    expect(importance.encoding.y.sort).toEqual(['cylinders', 'weight']); // largest drop on top
  });

  it('gives the rows behind it with class names and one probability column per class', () => {
    expect(tableFigureRows(classification, [1])).toEqual([
      {
        actual: 'USA',
        predicted: 'Europe',
        'probability USA': 0.4,
        'probability Europe': 0.5,
        'probability Japan': 0.1,
      },
    ]);
  });
});

describe('rowsDrawn', () => {
  it('keeps every row of a small split and every k-th of a large one', () => {
    expect(rowsDrawn(3, 10)).toEqual([0, 1, 2]);
    expect(rowsDrawn(10, 4)).toEqual([0, 3, 6, 9]);
  });
});

describe('viz.table-figures', () => {
  it('renders the predicted-vs-actual scatter with its CSV rows', async () => {
    const params = tableFiguresStage.params.parse({ scale: 1 });
    const { figure } = await (tableFiguresStage.run({ predictions: regression }, params, context) as Promise<{
      figure: Figure;
    }>);
    expect(figure.title).toBe('ridge: predicted vs actual mpg');
    expect(figure.svg).toMatch(/^<svg/);
    expect(figure.svg).toContain('Predicted mpg');
    expect(figure.table?.rows).toHaveLength(3);
  });

  it('renders the named confusion matrix and the importance', async () => {
    const figure = await renderVegaLite(tableFigureSpec(classification, { title: 'T', rows: [0] }), { scale: 1 });
    for (const text of ['Europe', 'Japan', 'cylinders', 'Permutation importance']) expect(figure.svg).toContain(text);
  });

  it('refuses a class code that is not a class, naming the stage and the row', async () => {
    const params = tableFiguresStage.params.parse({});
    const bad = { ...classification, predicted: [0, 1, 1, 5, 0] };
    await expect(tableFiguresStage.run({ predictions: bad }, params, context)).rejects.toThrow(
      'forestPlot.inputs.predictions.predicted[3]: expected a class code from 0 to 2, got 5',
    );
  });
});
