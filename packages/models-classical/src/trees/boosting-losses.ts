/** The losses gradient boosting minimises: their starting scores, gradients and hessians, and the link to predictions. */
import type { CheckedTargets } from './training-data.js';
import type { BoostingObjective } from './tree-model.js';

export interface Objective {
  name: BoostingObjective;
  /** Scores per row (and trees per round). */
  outputs: number;
  /** Targets by original row: class ids, or numbers. */
  labels: Int32Array;
  targets: Float64Array;
  /** The probabilities of scores (rows x outputs) where the gradients need them. */
  probabilities(scores: Float64Array, rows: number): Float64Array;
}

const sigmoid = (s: number) => 1 / (1 + Math.exp(-s));
const EPS = 1e-12;

/** Softmax of each row of scores (rows x width), numerically stable. */
function softmax(scores: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let k = 0; k < width; k++) max = Math.max(max, scores[r * width + k]);
    let sum = 0;
    for (let k = 0; k < width; k++) sum += out[r * width + k] = Math.exp(scores[r * width + k] - max);
    for (let k = 0; k < width; k++) out[r * width + k] /= sum;
  }
  return out;
}

export function objectiveFor(targets: CheckedTargets): Objective {
  if (targets.task === 'regression')
    return {
      name: 'squared-error',
      outputs: 1,
      labels: new Int32Array(0),
      targets: targets.targets,
      probabilities: () => new Float64Array(0),
    };
  const { labels, classes } = targets;
  if (classes <= 2)
    return {
      name: 'logistic',
      outputs: 1,
      labels,
      targets: new Float64Array(0),
      probabilities: (scores, rows) => Float64Array.from(scores.subarray(0, rows), sigmoid),
    };
  return {
    name: 'softmax',
    outputs: classes,
    labels,
    targets: new Float64Array(0),
    probabilities: (scores, rows) => softmax(scores, rows, classes),
  };
}

/** The best constant scores on the training rows: the mean, the log-odds, the log class frequencies. */
export function baseScores(objective: Objective, rows: Int32Array): Float64Array {
  const n = rows.length;
  if (objective.name === 'squared-error') {
    let sum = 0;
    for (const r of rows) sum += objective.targets[r];
    return Float64Array.of(sum / n);
  }
  const counts = new Float64Array(Math.max(2, objective.outputs));
  for (const r of rows) counts[objective.labels[r]]++;
  if (objective.name === 'logistic') {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, counts[1] / n));
    return Float64Array.of(Math.log(p / (1 - p)));
  }
  return counts.map((c) => Math.log(Math.max(c, 1e-6) / n));
}

/** Gradients and hessians of output k at the current scores, for the training rows (local index r, original rows[r]). */
export function setGradients(
  objective: Objective,
  scores: Float64Array,
  probabilities: Float64Array,
  rows: Int32Array,
  k: number,
  gradients: Float64Array,
  hessians: Float64Array,
) {
  const width = objective.outputs;
  for (let r = 0; r < rows.length; r++) {
    if (objective.name === 'squared-error') {
      gradients[r] = scores[r] - objective.targets[rows[r]];
      hessians[r] = 1;
      continue;
    }
    const p = probabilities[r * width + k];
    const y = objective.name === 'logistic' ? objective.labels[rows[r]] : objective.labels[rows[r]] === k ? 1 : 0;
    gradients[r] = p - y;
    hessians[r] = Math.max(p * (1 - p), 1e-6);
  }
}

/** The mean loss of scores (rows.length x outputs) against the targets of rows. */
export function lossOf(objective: Objective, scores: Float64Array, rows: Int32Array): number {
  const n = rows.length;
  let total = 0;
  if (objective.name === 'squared-error') {
    for (let r = 0; r < n; r++) total += (scores[r] - objective.targets[rows[r]]) ** 2;
    return total / n;
  }
  const p = objective.probabilities(scores, n);
  for (let r = 0; r < n; r++) {
    const y = objective.labels[rows[r]];
    const q = objective.name === 'logistic' ? (y === 1 ? p[r] : 1 - p[r]) : p[r * objective.outputs + y];
    total -= Math.log(Math.max(q, EPS));
  }
  return total / n;
}

/** Scores to predictions: numbers (squared error) or class probabilities rows x classes. */
export function toPredictions(
  objective: BoostingObjective,
  scores: Float64Array,
  rows: number,
  classes: number,
): Float64Array {
  if (objective === 'squared-error') return scores;
  if (objective === 'softmax') return softmax(scores, rows, classes);
  const out = new Float64Array(rows * Math.max(2, classes));
  for (let r = 0; r < rows; r++) {
    const p = sigmoid(scores[r]);
    out[r * 2] = 1 - p;
    out[r * 2 + 1] = p;
  }
  return out;
}
