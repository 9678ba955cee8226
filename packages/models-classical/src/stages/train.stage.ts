import type { tf } from '@stagegraph/core-tensor';
import { tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { IMAGES, ONE_HOT_LABELS, TIMING } from '@stagegraph/contracts';
import { z } from 'zod';
import { CLASSICAL_MODEL, type ClassicalModel } from '../classical-model.js';
import { CLASSIFIER_KINDS, type ClassifierKind } from '../classifier-kinds.js';
import type { ClassifierOptions } from '../classifiers.js';

/** Which options each model takes, and their defaults. */
const OPTIONS: Record<ClassifierKind, Partial<ClassifierOptions>> = {
  svm: { kernel: 'rbf', cost: 5, gamma: undefined },
  knn: { k: 3 },
  'logistic-regression': { steps: 300, learningRate: 0.1 },
  'random-forest': { trees: 100, maxDepth: undefined, minSamplesLeaf: 1, maxFeatures: 'sqrt' },
  'gradient-boosting': { rounds: 100, learningRate: 0.1, maxDepth: 6, minSamplesLeaf: 20, maxFeatures: 'all' },
};
const OPTION_NAMES = [
  'kernel',
  'cost',
  'gamma',
  'k',
  'steps',
  'learningRate',
  'trees',
  'rounds',
  'maxDepth',
  'minSamplesLeaf',
  'maxFeatures',
] as const;
/** The tree ensembles draw from the stage's seed and need the label's class count. */
const TREE_KINDS: readonly ClassifierKind[] = ['random-forest', 'gradient-boosting'];

const params = z
  .strictObject({
    model: z
      .enum(CLASSIFIER_KINDS)
      .describe(
        'svm (libsvm), knn (ml-knn), logistic-regression (ml-logistic-regression, one-vs-rest), random-forest or gradient-boosting (histogram-based trees of this package)',
      ),
    pca: z
      .number()
      .int()
      .min(0)
      .default(50)
      .describe('principal components the pixels are reduced to (standardized); 0 trains on the raw pixels'),
    maxSamples: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('train on the first N samples only (kNN keeps and searches every sample it trains on)'),
    kernel: z.enum(['rbf', 'linear', 'poly']).optional().describe('svm: the kernel (default rbf)'),
    cost: z.number().gt(0).optional().describe('svm: the cost C (default 5)'),
    gamma: z.number().gt(0).optional().describe('svm: the kernel width (default 1 / features)'),
    k: z.number().int().min(1).optional().describe('knn: neighbours that vote (default 3)'),
    steps: z.number().int().min(1).optional().describe('logistic-regression: gradient steps (default 300)'),
    learningRate: z
      .number()
      .gt(0)
      .optional()
      .describe('logistic-regression: step size (default 0.1); gradient-boosting: shrinkage, at most 1 (default 0.1)'),
    trees: z.number().int().min(1).optional().describe('random-forest: trees (default 100)'),
    rounds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('gradient-boosting: boosting rounds, one tree per class each (default 100)'),
    maxDepth: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('random-forest, gradient-boosting: levels of splits at most (default unlimited; 6)'),
    minSamplesLeaf: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('random-forest, gradient-boosting: least samples in a leaf (default 1; 20)'),
    maxFeatures: z
      .union([z.enum(['sqrt', 'third', 'all']), z.number().gt(0)])
      .optional()
      .describe(
        'random-forest, gradient-boosting: features tried at each split: sqrt, third, all, a fraction (< 1) or a count (default sqrt; all)',
      ),
  })
  .superRefine((p, ctx) => {
    for (const key of OPTION_NAMES) {
      if (p[key] !== undefined && !(key in OPTIONS[p.model])) {
        const owner = CLASSIFIER_KINDS.filter((kind) => key in OPTIONS[kind]).join(' and ');
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is an option of ${owner}, not of ${p.model}` });
      }
    }
  });

export const trainClassicalStage = defineStage({
  type: 'models-classical.train',
  version: 1,
  description:
    'Trains a classical classifier (SVM, k-nearest neighbours, logistic regression, random forest or gradient-boosted trees) on images, on their PCA features by default: the baselines a CNN is selected against.',
  params,
  inputs: { x: tensorPort(IMAGES), y: tensorPort(ONE_HOT_LABELS) },
  outputs: {
    model: port(CLASSICAL_MODEL),
    timing: port(TIMING, { description: 'seconds the training took (PCA included), and samples' }),
  },
  async run(inputs, p, ctx) {
    const started = performance.now();
    // the libraries and TensorFlow.js load when the stage runs
    const [{ tf: tfjs }, { classifiers }, { featureRows }, { fitPca }] = await Promise.all([
      import('@stagegraph/core-tensor'),
      import('../classifiers.js'),
      import('../features.js'),
      import('../pca.js'),
    ]);
    let { x, y } = inputs;
    if (y.shape[0] !== x.shape[0])
      throw new DataError(
        `${ctx.stageId}.inputs: expected as many labels as images, got ${y.shape[0]} labels for ${x.shape[0]} images`,
      );
    const n = Math.min(x.shape[0], p.maxSamples ?? Infinity);
    const sliced = n < x.shape[0] ? [x.slice(0, n), y.slice(0, n)] : [];
    if (sliced.length) [x, y] = sliced;
    try {
      const features = x.size / x.shape[0];
      if (p.pca > features)
        throw new DataError(
          `${ctx.stageId}.params.pca: expected at most ${features} components (one per pixel), got ${p.pca}`,
        );
      const flat = x.reshape([n, -1]) as tf.Tensor2D;
      const pca = p.pca > 0 ? fitPca(flat, p.pca) : undefined;
      flat.dispose();
      if (pca) ctx.log(`PCA: ${p.pca} components keep ${(pca.explainedVariance * 100).toFixed(1)}% of the variance`);
      const rows = featureRows(x, pca);
      const classIds = y.argMax(1);
      const labels = Array.from(classIds.dataSync());
      classIds.dispose();
      const options = {
        ...OPTIONS[p.model],
        ...Object.fromEntries(Object.entries(p).filter(([k, v]) => k in OPTIONS[p.model] && v !== undefined)),
        ...(TREE_KINDS.includes(p.model) ? { seed: ctx.seed, classes: y.shape[1] } : {}),
      } as ClassifierOptions;
      // as plain data: the same model whether the next stage gets it live or from the cache (ml-knn's toJSON holds its tree object)
      const trained = JSON.parse(JSON.stringify(classifiers[p.model].fit(rows, labels, options)));
      const model: ClassicalModel = {
        format: 'stagegraph-classical-model',
        kind: p.model,
        options,
        inputShape: x.shape.slice(1),
        classes: y.shape[1]!,
        pca,
        trained,
      };
      const seconds = (performance.now() - started) / 1000;
      ctx.log(`${p.model} trained on ${n} samples of ${rows[0].length} features in ${seconds.toFixed(1)}s`);
      return { model, timing: { seconds, samples: n } };
    } finally {
      tfjs.dispose(sliced);
    }
  },
});
