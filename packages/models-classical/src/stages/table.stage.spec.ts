import { describe, expect, it } from '@jest/globals';
import {
  TABLE_MODEL_CARD,
  TABLE_PREDICTIONS,
  type Table,
  type TableModelCard,
  type TablePredictions,
} from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { predictTableModel } from '../table-models/model-kinds.js';
import { accuracy, rSquared } from '../table-models/scores.js';
import { TABLE_MODEL, TABLE_MODEL_KINDS, type TableModel } from '../table-models/table-model.js';
import { smoothValue, syntheticTable, threeClasses } from '../table-models/test-support/synthetic-tables.js';
import { preparationOf } from '../table-models/test-support/preparation-of.js';
import { tableModelStage } from './table.stage.js';

const logs: string[] = [];
const context = {
  stageId: 'fit',
  seed: 7,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: (message: string) => logs.push(message),
};
type TableStageOutputs = {
  model: TableModel;
  card: TableModelCard;
  predictions: TablePredictions;
  timing: { seconds: number; samples: number };
};
const classes = ['a', 'b', 'c'];
const classification = {
  train: syntheticTable(600, 1, threeClasses, classes),
  test: syntheticTable(300, 2, threeClasses, classes),
};
const regression = { train: syntheticTable(600, 3, smoothValue), test: syntheticTable(300, 4, smoothValue) };
// few trees and rounds keep the spec quick; the scores below hold with them
const QUICK: Record<string, object> = { 'random-forest': { trees: 30 }, 'gradient-boosting': { rounds: 40 } };

async function fit(
  inputs: { train: Table; test: Table; validation?: Table; folds?: { k: number; fold: number[] } },
  params: Record<string, unknown>,
) {
  const preparation = preparationOf(inputs.train);
  // run's type allows an Observable; this stage returns a promise of its outputs
  const out = await (tableModelStage.run(
    { ...inputs, preparation },
    tableModelStage.params.parse(params),
    context,
  ) as Promise<TableStageOutputs>);
  expect(TABLE_MODEL.check!(out.model)).toBeUndefined();
  expect(TABLE_MODEL_CARD.check!(out.card)).toBeUndefined();
  expect(out.card).toEqual({ format: 'stagegraph-table-model-card', preparation, network: false, model: out.model });
  expect(TABLE_PREDICTIONS.check!(out.predictions)).toBeUndefined();
  return out;
}
const score = (p: TablePredictions) => (p.task === 'classification' ? accuracy : rSquared)(p.predicted, p.actual);

describe('models-classical.table', () => {
  it("scores k-fold cross-validation over the training rows when prepare's folds are wired, well above the baseline's", async () => {
    const folds = { k: 4, fold: Array.from({ length: 600 }, (_, r) => r % 4) };
    logs.length = 0;
    const { predictions } = await fit({ ...classification, folds }, { model: 'linear' });
    const cv = predictions.crossValidation!;
    expect(cv).toMatchObject({ folds: 4, metric: 'accuracy' });
    expect(cv.scores).toHaveLength(4);
    expect(cv.mean).toBeGreaterThan(0.8);
    expect(logs.some((line) => line.startsWith('4-fold cross-validation accuracy '))).toBe(true);
    const baseline = (await fit({ ...classification, folds }, { model: 'baseline' })).predictions.crossValidation!;
    expect(baseline.mean).toBeLessThan(0.5);
    const none = await fit({ ...classification, folds: { k: 0, fold: [] } }, { model: 'linear' });
    expect(none.predictions.crossValidation).toBeUndefined();
  });

  it('every kind beats the baseline by a clear margin on a 3-class classification', async () => {
    const baseline = score((await fit(classification, { model: 'baseline' })).predictions);
    expect(baseline).toBeLessThan(0.5);
    for (const model of TABLE_MODEL_KINDS.filter((kind) => kind !== 'baseline')) {
      const { predictions } = await fit(classification, { model, ...QUICK[model] });
      expect([model, score(predictions)]).toEqual([model, expect.any(Number)]);
      expect(score(predictions)).toBeGreaterThan(Math.max(0.8, baseline + 0.3));
      expect(predictions.classes).toEqual(classes);
      if (predictions.probabilities) expect(predictions.probabilities[0].reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
  });

  it('every kind beats the mean baseline by a clear margin on a regression', async () => {
    const baseline = score((await fit(regression, { model: 'baseline' })).predictions);
    expect(baseline).toBeLessThan(0.05);
    for (const model of TABLE_MODEL_KINDS.filter((kind) => kind !== 'baseline')) {
      const { predictions } = await fit(regression, { model, ...QUICK[model] });
      expect(score(predictions)).toBeGreaterThan(0.8);
      expect(predictions.probabilities).toBeUndefined();
    }
  });

  it('the saved model, as JSON, predicts what the stage predicted', async () => {
    for (const model of TABLE_MODEL_KINDS) {
      const out = await fit(classification, { model, ...QUICK[model] });
      const saved = JSON.parse(JSON.stringify(out.model)) as TableModel;
      const matrix = new Float64Array(300 * 6);
      classification.test.columns.slice(0, 6).forEach((c, j) => {
        if (c.type === 'number') c.values.forEach((v, r) => (matrix[r * 6 + j] = v));
      });
      expect(Array.from(predictTableModel(saved, matrix, 300).predicted)).toEqual(out.predictions.predicted);
    }
  });

  it('is deterministic for a seed, and a different seed draws a different sample', async () => {
    const params = { model: 'knn', maxRows: 200, seed: 5 };
    const [a, b, c] = [
      await fit(regression, params),
      await fit(regression, params),
      await fit(regression, { ...params, seed: 6 }),
    ];
    expect(b.model).toEqual(a.model);
    expect(b.predictions.predicted).toEqual(a.predictions.predicted);
    expect(c.predictions.predicted).not.toEqual(a.predictions.predicted);
    const forest = { model: 'random-forest', trees: 10 };
    expect((await fit(classification, forest)).predictions.probabilities).toEqual(
      (await fit(classification, forest)).predictions.probabilities,
    );
  });

  it('trains on a seeded sample of maxRows rows and says so in the log and the predictions', async () => {
    logs.length = 0;
    const { predictions, model, timing } = await fit(classification, { model: 'svm', maxRows: 250 });
    expect(predictions.sample).toEqual({ rows: 250, of: 600 });
    expect(model.sample).toEqual({ rows: 250, of: 600 });
    expect(timing.samples).toBe(250);
    expect(logs.join('\n')).toContain('svm trains on a seeded sample of 250 of the 600 training rows (maxRows)');
    // knn and svm sample 5,000 by default; a smaller table trains on every row
    expect((await fit(classification, { model: 'knn' })).predictions.sample).toBeUndefined();
  });

  it('permutation importance ranks the informative feature first and shuffles a one-hot group as one column', async () => {
    for (const model of ['linear', 'random-forest'] as const) {
      const { predictions } = await fit(regression, { model, importance: true, ...QUICK[model] });
      const importance = predictions.importance!;
      expect(importance[0].feature).toBe('x0');
      expect(importance[0].drop).toBeGreaterThan(0.5);
      expect(importance.map((i) => i.feature).sort()).toEqual(['color', 'x0', 'x1', 'x2', 'x3']);
      expect(importance.find((i) => i.feature === 'color')!.drop).toBeLessThan(0.05);
    }
  });

  it('refuses a preparation that did not make its features (a miswired pipeline), naming the input', async () => {
    const preparation = preparationOf(classification.train);
    const other = { ...preparation, features: preparation.features.slice(1) };
    await expect(
      tableModelStage.run(
        { ...classification, preparation: other },
        tableModelStage.params.parse({ model: 'baseline' }),
        context,
      ),
    ).rejects.toThrow(
      new DataError(
        "fit.inputs.preparation: expected the preparation that made the model's 6 features (x0, x1, x2...), got one making 5 (x1, x2, x3...)",
      ),
    );
  });

  it('refuses a feature column that is not a number, naming it', async () => {
    const train = structuredClone(classification.train);
    train.columns[1] = {
      name: 'x1',
      type: 'category',
      codes: new Int32Array(600),
      categories: ['p'],
      missing: 0,
      distinct: 1,
    };
    await expect(fit({ ...classification, train }, { model: 'linear' })).rejects.toThrow(
      new DataError(
        'fit.inputs.train: expected prepared feature columns of type number, got "x1" of type category (prepare the table first)',
      ),
    );
  });

  it('names a feature the test table lacks, a class training never saw, and a missing value a kind cannot take', async () => {
    const test = structuredClone(classification.test);
    test.columns = test.columns.filter((c) => c.name !== 'x2');
    await expect(fit({ ...classification, test }, { model: 'baseline' })).rejects.toThrow(
      'fit.inputs.test: expected the feature column "x2" the model was trained on, got none',
    );
    const unseen = structuredClone(classification.test);
    const label = unseen.columns[6];
    if (label.type === 'category') label.categories = ['a', 'b', 'd'];
    await expect(fit({ ...classification, test: unseen }, { model: 'baseline' })).rejects.toThrow(
      /expected a class of "y" seen in training \(a, b, c\), got "d" in row \d+/,
    );
    const missing = structuredClone(classification.train);
    if (missing.columns[2].type === 'number') missing.columns[2].values[4] = NaN;
    await expect(fit({ ...classification, train: missing }, { model: 'knn' })).rejects.toThrow(
      'fit.inputs.train: expected finite values in "x2" (knn takes no missing values: impute them when preparing), got NaN in row 4',
    );
    expect((await fit({ ...classification, train: missing }, { model: 'random-forest', trees: 5 })).model.kind).toBe(
      'random-forest',
    );
  });

  it('refuses an option of another kind', () => {
    expect(() => tableModelStage.params.parse({ model: 'knn', trees: 5 })).toThrow(
      'trees is an option of random-forest, not of knn',
    );
  });
});
