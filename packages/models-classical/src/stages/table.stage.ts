import {
  preparationMismatch,
  TABLE,
  TABLE_FOLDS,
  TABLE_MODEL_CARD,
  TABLE_MODEL_CARD_FORMAT,
  TABLE_PREDICTIONS,
  TABLE_PREPARATION,
  TIMING,
} from '@stagegraph/contracts';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { z } from 'zod';
import { TABLE_MODEL, TABLE_MODEL_KINDS, type TableModelKind } from '../table-models/table-model.js';

/** Which kinds read each option (the defaults are in table-models/model-kinds.ts). */
const OWNERS: Record<string, readonly TableModelKind[]> = {
  trees: ['random-forest'],
  rounds: ['gradient-boosting'],
  learningRate: ['gradient-boosting'],
  maxDepth: ['random-forest', 'gradient-boosting'],
  minSamplesLeaf: ['random-forest', 'gradient-boosting'],
  maxFeatures: ['random-forest', 'gradient-boosting'],
  l2: ['linear'],
  iterations: ['linear'],
  k: ['knn'],
  kernel: ['svm'],
  cost: ['svm'],
  gamma: ['svm'],
  epsilon: ['svm'],
};

const count = () => z.number().int().min(1).optional();

const params = z
  .strictObject({
    model: z
      .enum(TABLE_MODEL_KINDS)
      .describe(
        'random-forest or gradient-boosting (histogram-based trees of this package), linear (ridge regression; L2 logistic regression by Newton/IRLS, one-vs-rest beyond two classes), knn (brute force), svm (libsvm: C-SVC, epsilon-SVR), baseline (majority class with the class frequencies, or the training mean)',
      ),
    trees: count().describe('random-forest: trees (default 100)'),
    rounds: count().describe('gradient-boosting: boosting rounds (default 100)'),
    learningRate: z.number().gt(0).max(1).optional().describe('gradient-boosting: shrinkage (default 0.1)'),
    maxDepth: count().describe('random-forest, gradient-boosting: split levels at most (default unlimited; 6)'),
    minSamplesLeaf: count().describe('random-forest, gradient-boosting: least rows in a leaf (default 1; 20)'),
    maxFeatures: z
      .union([z.enum(['sqrt', 'third', 'all']), z.number().gt(0)])
      .optional()
      .describe(
        'random-forest, gradient-boosting: features tried per split (default sqrt for a classification forest, third for a regression forest; all)',
      ),
    l2: z.number().min(0).optional().describe('linear: L2 penalty on the weights, intercept excluded (default 1)'),
    iterations: count().describe('linear: Newton steps at most for a classification (default 25)'),
    k: count().describe('knn: neighbours that vote or are averaged (default 5)'),
    kernel: z.enum(['rbf', 'linear', 'poly']).optional().describe('svm: the kernel (default rbf)'),
    cost: z.number().gt(0).optional().describe('svm: the cost C (default 1)'),
    gamma: z.number().gt(0).optional().describe('svm: the kernel width (default 1 / features)'),
    epsilon: z
      .number()
      .min(0)
      .optional()
      .describe('svm: regression tube width, on the standardised target (default 0.1)'),
    maxRows: count().describe(
      'train on a seeded sample of at most this many training rows (default 5,000 for knn and svm, every row for the others)',
    ),
    seed: z
      .number()
      .int()
      .optional()
      .describe("seed of the sample, the trees' draws and the shuffles (default: the stage's)"),
    importance: z
      .boolean()
      .default(false)
      .describe(
        'permutation importance on the test rows: the drop in accuracy or R^2 when a source column (its one-hot, date-part and missing-flag features together) is shuffled, 3 shuffles each',
      ),
    importanceRows: z
      .number()
      .int()
      .min(1)
      .default(2000)
      .describe('importance: test rows it scores on (a seeded sample)'),
    importanceTop: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('importance: source columns reported, largest drop first'),
  })
  .superRefine((p, ctx) => {
    for (const [key, owners] of Object.entries(OWNERS)) {
      if (p[key as keyof typeof p] !== undefined && !owners.includes(p.model))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is an option of ${owners.join(' and ')}, not of ${p.model}`,
        });
    }
  });

export const tableModelStage = defineStage({
  type: 'models-classical.table',
  version: 1,
  description:
    "Trains a classical model on a prepared table (random forest, gradient-boosted trees, ridge/logistic regression, k-NN, SVM, or the majority/mean baseline) and predicts its test rows; models that scale badly train on a seeded sample (maxRows); optionally the test rows' permutation importance, and k-fold cross-validation scores when prepare's folds are wired.",
  params,
  inputs: {
    train: port(TABLE, { description: 'the prepared training rows: number features and the label' }),
    test: port(TABLE, { description: 'the prepared rows to predict and score' }),
    validation: port(TABLE, { optional: true, description: 'prepared rows whose score is logged' }),
    folds: port(TABLE_FOLDS, {
      optional: true,
      description: "prepare's fold of each training row: with k >= 2, the model's k-fold cross-validation scores",
    }),
    preparation: port(TABLE_PREPARATION, {
      description: 'the preparation that made the rows (tables.prepare), saved with the model for predict',
    }),
  },
  outputs: {
    model: port(TABLE_MODEL),
    card: port(TABLE_MODEL_CARD, {
      description: 'the model with its preparation: what `stagegraph predict` reads (models/<stage>/table-model.json)',
    }),
    predictions: port(TABLE_PREDICTIONS, {
      description: 'the test rows: actual and predicted, probabilities, timings',
    }),
    timing: port(TIMING, { description: 'seconds the training took, and the rows it trained on' }),
  },
  async run(inputs, p, ctx) {
    // the models load when the stage runs
    const { trainTableModel } = await import('../table-models/train-table-model.js');
    const { model, importance, maxRows, seed, importanceRows, importanceTop, ...options } = p;
    const trained = trainTableModel(inputs, {
      kind: model,
      options,
      maxRows,
      seed: seed ?? ctx.seed,
      importance,
      importanceRows,
      importanceTop,
      stageId: ctx.stageId,
      log: (message) => ctx.log(message),
    });
    const mismatch = preparationMismatch(inputs.preparation, trained.model);
    if (mismatch) throw new DataError(`${ctx.stageId}.inputs.preparation: ${mismatch}`);
    const card = {
      format: TABLE_MODEL_CARD_FORMAT,
      preparation: inputs.preparation,
      network: false,
      model: trained.model,
    };
    return { ...trained, card };
  },
});
