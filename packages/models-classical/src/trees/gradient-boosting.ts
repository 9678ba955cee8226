/**
 * Gradient-boosted trees (second-order, as XGBoost and LightGBM): each round fits one tree per
 * output to the loss's gradients and hessians at the current scores, leaves take a Newton step
 * shrunk by the learning rate. Losses: squared error (regression), log loss (two classes, one
 * score), softmax cross-entropy (more classes, one tree per class a round). With a validation
 * fraction, rounds stop once its loss has not improved for `patience` rounds and the model keeps
 * the best round's trees.
 */
import { DataError, SeededRandom } from '@stagegraph/pipeline';
import { applyBins, fitBinEdges, type BinnedFeatures, type FeatureMatrix } from './binning.js';
import { GradientCriterion } from './criteria.js';
import { TreeGrower } from './histogram-tree.js';
import {
  checkCount,
  checkTrainingData,
  featuresPerSplit,
  type MaxFeatures,
  type TreeTrainingData,
} from './training-data.js';
import {
  checkMatrix,
  leafForBinned,
  leafOffsets,
  sumLeaves,
  treeToJson,
  type TreeEnsembleModel,
  type TreeJson,
} from './tree-model.js';
import { baseScores, lossOf, objectiveFor, setGradients, toPredictions, type Objective } from './boosting-losses.js';

export interface BoostingOptions {
  /** Boosting rounds (default 100; fewer when early stopping ends it). */
  rounds?: number;
  /** Shrinkage of each tree's step (default 0.1). */
  learningRate?: number;
  /** Deepest split level + 1 (default 6). */
  maxDepth?: number;
  /** Most leaves per tree, grown best-first (default 31). */
  maxLeaves?: number;
  /** Least rows in a leaf (default 20). */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (default 1). */
  l2?: number;
  /** Candidates per split (default 'all'). */
  maxFeatures?: MaxFeatures;
  /** Rows drawn without replacement for each round, as a fraction (default 1: all). */
  subsample?: number;
  /** Rows held out (seeded) to stop early on (default 0: none). */
  validationFraction?: number;
  /** Rounds without a better validation loss before stopping (default 10). */
  patience?: number;
  maxBins?: number;
  seed?: number;
  onRound?: (done: number, total: number, validationLoss?: number) => void;
}

interface Split {
  train: BinnedFeatures;
  validation?: BinnedFeatures;
  trainRows: Int32Array;
  validationRows: Int32Array;
}

/** Training and validation rows (seeded shuffle), binned with edges learned on the training rows. */
function splitRows(data: TreeTrainingData, fraction: number, maxBins: number, random: SeededRandom): Split {
  const { x, rows, cols } = data;
  const held = fraction > 0 ? Math.min(rows - 1, Math.max(1, Math.round(rows * fraction))) : 0;
  const order = held > 0 ? random.permutation(rows) : Int32Array.from({ length: rows }, (_, r) => r);
  const validationRows = order.slice(0, held).sort();
  const trainRows = order.slice(held).sort();
  const gather = (which: Int32Array) => {
    const out = new Float64Array(which.length * cols);
    which.forEach((r, i) => out.set(x.subarray(r * cols, (r + 1) * cols), i * cols));
    return out;
  };
  const trainX = held > 0 ? gather(trainRows) : x;
  const edges = fitBinEdges(trainX, trainRows.length, cols, maxBins);
  const train = applyBins(trainX, trainRows.length, cols, edges);
  const validation = held > 0 ? applyBins(gather(validationRows), held, cols, edges) : undefined;
  return { train, validation, trainRows, validationRows };
}

/** Adds a tree's leaf values to output k of scores (rows x width) for binned rows. */
function addTree(
  tree: ReturnType<TreeGrower['grow']>,
  data: BinnedFeatures,
  scores: Float64Array,
  width: number,
  k: number,
) {
  const offsets = leafOffsets(tree.feature, 1);
  for (let r = 0; r < data.rows; r++) scores[r * width + k] += tree.value[leafForBinned(tree, data, r, offsets)];
}

function resolveOptions(options: BoostingOptions) {
  const what = 'gradient boosting';
  const resolved = {
    rounds: options.rounds ?? 100,
    learningRate: options.learningRate ?? 0.1,
    maxDepth: options.maxDepth ?? 6,
    maxLeaves: options.maxLeaves ?? 31,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2: options.l2 ?? 1,
    maxFeatures: options.maxFeatures ?? ('all' as MaxFeatures),
    subsample: options.subsample ?? 1,
    validationFraction: options.validationFraction ?? 0,
    patience: options.patience ?? 10,
    maxBins: options.maxBins ?? 255,
    seed: options.seed ?? 1,
  };
  checkCount(what, 'rounds', resolved.rounds, 1);
  checkCount(what, 'maxDepth', resolved.maxDepth, 1, true);
  checkCount(what, 'maxLeaves', resolved.maxLeaves, 2, true);
  checkCount(what, 'minSamplesLeaf', resolved.minSamplesLeaf, 1);
  checkCount(what, 'patience', resolved.patience, 1);
  checkCount(what, 'maxBins', resolved.maxBins, 2);
  const fractions = { learningRate: [0, 1], subsample: [0, 1], validationFraction: [-1, 0.9] } as const;
  for (const [name, [low, high]] of Object.entries(fractions)) {
    const v = resolved[name as keyof typeof fractions];
    if (!(v > low && v <= high) && !(name === 'validationFraction' && v === 0))
      throw new DataError(`${what}.${name}: expected a number in (${Math.max(0, low)}, ${high}], got ${v}`);
  }
  if (!(resolved.l2 >= 0)) throw new DataError(`${what}.l2: expected a number >= 0, got ${resolved.l2}`);
  return resolved;
}

/** Trains gradient-boosted trees on x (rows x cols, row-major, NaN missing) and y. */
export function fitGradientBoosting(data: TreeTrainingData, options: BoostingOptions = {}): TreeEnsembleModel {
  const what = 'gradient boosting';
  const targets = checkTrainingData(what, data);
  if (targets.task === 'classification' && targets.classes < 2)
    throw new DataError(`${what}: expected at least 2 classes, got ${targets.classes}`);
  const o = resolveOptions(options);
  const random = new SeededRandom(o.seed);
  const split = splitRows(data, o.validationFraction, o.maxBins, random);
  const objective: Objective = objectiveFor(targets);
  const width = objective.outputs;
  const base = baseScores(objective, split.trainRows);
  const n = split.train.rows;
  const scores = new Float64Array(n * width);
  for (let r = 0; r < n; r++) scores.set(base, r * width);
  const held = split.validation?.rows ?? 0;
  const validationScores = new Float64Array(held * width);
  for (let r = 0; r < held; r++) validationScores.set(base, r * width);
  const gradients = new Float64Array(n);
  const hessians = new Float64Array(n);
  const criterion = new GradientCriterion(gradients, hessians, o.l2, 1e-3, o.learningRate);
  const perSplit = featuresPerSplit(what, o.maxFeatures, data.cols);
  const grower = new TreeGrower(split.train, criterion, { ...o, featuresPerSplit: perSplit }, random);
  const trees: TreeJson[] = [];
  const validationLoss: number[] = [];
  let best = { loss: Infinity, rounds: 0 };
  for (let round = 0; round < o.rounds; round++) {
    const probabilities = objective.probabilities(scores, n);
    for (let k = 0; k < width; k++) {
      setGradients(objective, scores, probabilities, split.trainRows, k, gradients, hessians);
      const tree = grower.grow(roundRows(n, o.subsample, random));
      addTree(tree, split.train, scores, width, k);
      if (split.validation) addTree(tree, split.validation, validationScores, width, k);
      trees.push(treeToJson(tree));
    }
    const loss = split.validation ? lossOf(objective, validationScores, split.validationRows) : undefined;
    options.onRound?.(round + 1, o.rounds, loss);
    if (loss === undefined) continue;
    validationLoss.push(loss);
    if (loss < best.loss) best = { loss, rounds: round + 1 };
    else if (round + 1 - best.rounds >= o.patience) break;
  }
  const kept = split.validation ? trees.slice(0, best.rounds * width) : trees;
  return {
    format: 'stagegraph-tree-ensemble',
    version: 1,
    kind: 'gradient-boosting',
    task: data.task,
    features: data.cols,
    classes: targets.task === 'classification' ? targets.classes : 0,
    edges: split.train.edges.map((e) => Array.from(e)),
    trees: kept,
    objective: objective.name,
    base: Array.from(base),
    treesPerRound: width,
    options: { ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== Infinity)), validationLoss },
  };
}

/** The rows one round trains on: all of them, or a seeded sample without replacement. */
function roundRows(n: number, subsample: number, random: SeededRandom): Uint32Array {
  if (subsample >= 1) return Uint32Array.from({ length: n }, (_, r) => r);
  const take = Math.max(1, Math.round(n * subsample));
  return Uint32Array.from(random.permutation(n).subarray(0, take)).sort();
}

/**
 * Predictions for x (rows x cols, row-major): classification, class probabilities (rows x
 * classes); regression, one number per row.
 */
export function predictGradientBoosting(
  model: TreeEnsembleModel,
  x: FeatureMatrix,
  rows: number,
  cols: number,
): Float64Array {
  checkMatrix('gradient boosting predict', x, rows, cols, model.features);
  const width = model.treesPerRound ?? 1;
  const scores = sumLeaves(model, x, rows, width);
  const base = model.base ?? [];
  for (let r = 0; r < rows; r++) for (let k = 0; k < width; k++) scores[r * width + k] += base[k] ?? 0;
  return toPredictions(model.objective ?? 'squared-error', scores, rows, model.classes);
}
