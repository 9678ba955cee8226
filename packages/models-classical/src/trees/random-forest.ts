/**
 * A random forest (Breiman): each tree grown deep on a bootstrap sample of the rows (kept as
 * per-row multiplicities, not copies), each split choosing among a seeded random subset of the
 * features; classification averages the trees' leaf class frequencies, regression their leaf means.
 */
import { SeededRandom } from '@stagegraph/pipeline';
import { binFeatures, type FeatureMatrix } from './binning.js';
import { GiniCriterion, VarianceCriterion, type Criterion } from './criteria.js';
import { TreeGrower } from './histogram-tree.js';
import {
  checkCount,
  checkTrainingData,
  featuresPerSplit,
  type MaxFeatures,
  type TreeTrainingData,
} from './training-data.js';
import { checkMatrix, sumLeaves, treeToJson, type TreeEnsembleModel } from './tree-model.js';

export interface ForestOptions {
  /** Trees (default 100). */
  trees?: number;
  /** Deepest split level + 1 (default: unlimited). */
  maxDepth?: number;
  /** Least rows in a leaf, bootstrap copies counted (default 1). */
  minSamplesLeaf?: number;
  /** Most leaves per tree (default: unlimited); set, trees grow best-first. */
  maxLeaves?: number;
  /** Candidates per split (default 'sqrt' for classification, 'third' for regression). */
  maxFeatures?: MaxFeatures;
  /** Draw each tree's rows with replacement (default true); false: every tree sees every row. */
  bootstrap?: boolean;
  /** Rows drawn per tree as a fraction of the rows (default 1). */
  sampleFraction?: number;
  /** Bins per feature, 2..255 (default 255). */
  maxBins?: number;
  seed?: number;
  /** Called after each tree (to report progress; throwing stops the training). */
  onTree?: (done: number, total: number) => void;
}

/** Trains a random forest on x (rows x cols, row-major, NaN missing) and y. */
export function fitRandomForest(data: TreeTrainingData, options: ForestOptions = {}): TreeEnsembleModel {
  const what = 'random forest';
  const targets = checkTrainingData(what, data);
  const { x, rows, cols, task } = data;
  const resolved = {
    trees: options.trees ?? 100,
    maxDepth: options.maxDepth ?? Infinity,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    maxLeaves: options.maxLeaves ?? Infinity,
    maxFeatures: options.maxFeatures ?? (task === 'classification' ? 'sqrt' : 'third'),
    bootstrap: options.bootstrap ?? true,
    sampleFraction: options.sampleFraction ?? 1,
    maxBins: options.maxBins ?? 255,
    seed: options.seed ?? 1,
  };
  checkCount(what, 'trees', resolved.trees, 1);
  checkCount(what, 'maxDepth', resolved.maxDepth, 1, true);
  checkCount(what, 'minSamplesLeaf', resolved.minSamplesLeaf, 1);
  checkCount(what, 'maxLeaves', resolved.maxLeaves, 2, true);
  checkCount(what, 'maxBins', resolved.maxBins, 2);
  const binned = binFeatures(x, rows, cols, Math.min(255, resolved.maxBins));
  const weights = new Float64Array(rows);
  const criterion: Criterion =
    targets.task === 'classification'
      ? new GiniCriterion(targets.labels, weights, targets.classes)
      : new VarianceCriterion(targets.targets, weights);
  const random = new SeededRandom(resolved.seed);
  const grower = new TreeGrower(
    binned,
    criterion,
    { ...resolved, featuresPerSplit: featuresPerSplit(what, resolved.maxFeatures, cols) },
    random,
  );
  const draws = Math.max(1, Math.round(rows * resolved.sampleFraction));
  const idx = new Uint32Array(rows);
  const trees = [];
  for (let t = 0; t < resolved.trees; t++) {
    weights.fill(resolved.bootstrap ? 0 : 1);
    if (resolved.bootstrap) for (let i = 0; i < draws; i++) weights[random.nextInt(rows)]++;
    let n = 0;
    for (let r = 0; r < rows; r++) if (weights[r] > 0) idx[n++] = r;
    // class frequencies to 6 digits keep a deep forest's JSON small
    trees.push(treeToJson(grower.grow(idx.subarray(0, n)), targets.task === 'classification' ? 6 : undefined));
    options.onTree?.(t + 1, resolved.trees);
  }
  return {
    format: 'stagegraph-tree-ensemble',
    version: 1,
    kind: 'random-forest',
    task,
    features: cols,
    classes: targets.task === 'classification' ? targets.classes : 0,
    edges: binned.edges.map((e) => Array.from(e)),
    trees,
    // Infinity is not JSON: unlimited is left out
    options: Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== Infinity)),
  };
}

/**
 * A forest's predictions for x (rows x cols, row-major): classification, each row's class
 * probabilities (rows x classes, the trees' average); regression, one number per row.
 */
export function predictForest(model: TreeEnsembleModel, x: FeatureMatrix, rows: number, cols: number): Float64Array {
  checkMatrix('random forest predict', x, rows, cols, model.features);
  const width = model.task === 'classification' ? model.classes : 1;
  const sums = sumLeaves(model, x, rows, width);
  const trees = model.trees.length;
  for (let i = 0; i < sums.length; i++) sums[i] /= trees;
  return sums;
}
