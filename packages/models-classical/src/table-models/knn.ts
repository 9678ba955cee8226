/**
 * k-nearest neighbours by brute force over the training rows it keeps (Euclidean distance on the
 * prepared, standardised features): a classification's probabilities are the neighbours' votes, a
 * regression's value their mean. Cost is rows kept x rows predicted x features, which is why the
 * stage trains it on a sample (`maxRows`).
 */
import type { TableFitData, TablePrediction } from './table-model.js';

export interface KnnOptions {
  /** Neighbours that vote (default 5). */
  k: number;
}

export interface KnnTrained {
  x: number[];
  y: number[];
  rows: number;
  cols: number;
  k: number;
}

export function fitKnn(data: TableFitData, o: KnnOptions): KnnTrained {
  return { x: Array.from(data.x), y: Array.from(data.y), rows: data.rows, cols: data.cols, k: o.k };
}

/** The indices of the k smallest distances from query row q to every kept row, into `nearest`. */
function nearestRows(kept: Float64Array, keptRows: number, cols: number, query: Float64Array, nearest: Int32Array) {
  const k = nearest.length;
  const distances = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < keptRows; i++) {
    let d = 0;
    const base = i * cols;
    for (let j = 0; j < cols && d < distances[k - 1]; j++) {
      const diff = kept[base + j] - query[j];
      d += diff * diff;
    }
    if (d >= distances[k - 1]) continue;
    // insertion into the sorted k best (ties keep the earlier row: deterministic)
    let at = k - 1;
    while (at > 0 && distances[at - 1] > d) {
      distances[at] = distances[at - 1];
      nearest[at] = nearest[at - 1];
      at--;
    }
    distances[at] = d;
    nearest[at] = i;
  }
}

export function predictKnn(trained: KnnTrained, x: Float64Array, rows: number, classes: number): TablePrediction {
  const kept = Float64Array.from(trained.x);
  const { cols } = trained;
  const k = Math.min(trained.k, trained.rows);
  const nearest = new Int32Array(k);
  const predicted = new Float64Array(rows);
  const probabilities = classes > 0 ? new Float64Array(rows * classes) : undefined;
  for (let r = 0; r < rows; r++) {
    nearestRows(kept, trained.rows, cols, x.subarray(r * cols, (r + 1) * cols), nearest);
    if (probabilities) {
      let best = 0;
      for (const i of nearest) probabilities[r * classes + trained.y[i]] += 1 / k;
      for (let c = 1; c < classes; c++)
        if (probabilities[r * classes + c] > probabilities[r * classes + best]) best = c;
      predicted[r] = best;
    } else {
      let sum = 0;
      for (const i of nearest) sum += trained.y[i];
      predicted[r] = sum / k;
    }
  }
  return { predicted, probabilities };
}
