/**
 * What a tree's histograms sum per bin and how a split is scored, one class per kind of tree. Each
 * bin holds `stride` numbers; a node's score is a sum over its rows' statistics, and a split's gain
 * is score(left) + score(right) - score(node). The row loops here are the hot ones: flat typed
 * arrays, no per-row objects.
 */
export interface Criterion {
  /** Numbers per histogram bin. */
  readonly stride: number;
  /** Numbers per leaf (class probabilities, or one value). */
  readonly outputs: number;
  /** Adds rows idx[start..end) to hist at offset: one feature's histogram, whose bins are bins[column + row]. */
  accumulate(
    hist: Float64Array,
    offset: number,
    bins: Uint8Array,
    column: number,
    idx: Uint32Array,
    start: number,
    end: number,
  ): void;
  /** The statistics of rows idx[start..end) into out (stride numbers). */
  totals(idx: Uint32Array, start: number, end: number, out: Float64Array): void;
  /** The weight of rows the statistics at offset cover (what min-samples-leaf counts). */
  count(stats: Float64Array, offset: number): number;
  /** Larger is better; -Infinity for statistics no leaf may have. */
  score(stats: Float64Array, offset: number): number;
  /** The leaf's prediction for these statistics into out at outOffset. */
  leafValue(stats: Float64Array, offset: number, out: Float64Array, outOffset: number): void;
}

/** Random-forest classification: weighted class counts, Gini impurity (score = sum of squared counts / count). */
export class GiniCriterion implements Criterion {
  readonly stride: number;
  readonly outputs: number;
  constructor(
    private readonly labels: Int32Array,
    private readonly weights: Float64Array,
    classes: number,
  ) {
    this.stride = classes;
    this.outputs = classes;
  }
  accumulate(
    hist: Float64Array,
    offset: number,
    bins: Uint8Array,
    column: number,
    idx: Uint32Array,
    start: number,
    end: number,
  ) {
    const { labels, weights, stride } = this;
    for (let i = start; i < end; i++) {
      const r = idx[i];
      hist[offset + bins[column + r] * stride + labels[r]] += weights[r];
    }
  }
  totals(idx: Uint32Array, start: number, end: number, out: Float64Array) {
    out.fill(0, 0, this.stride);
    for (let i = start; i < end; i++) out[this.labels[idx[i]]] += this.weights[idx[i]];
  }
  count(stats: Float64Array, offset: number) {
    let n = 0;
    for (let k = 0; k < this.stride; k++) n += stats[offset + k];
    return n;
  }
  score(stats: Float64Array, offset: number) {
    let n = 0;
    let squares = 0;
    for (let k = 0; k < this.stride; k++) {
      const c = stats[offset + k];
      n += c;
      squares += c * c;
    }
    return n > 0 ? squares / n : 0;
  }
  leafValue(stats: Float64Array, offset: number, out: Float64Array, outOffset: number) {
    const n = this.count(stats, offset);
    for (let k = 0; k < this.stride; k++) out[outOffset + k] = n > 0 ? stats[offset + k] / n : 0;
  }
}

/** Random-forest regression: weighted sum of targets and weight; variance reduction (score = sum^2 / weight). */
export class VarianceCriterion implements Criterion {
  readonly stride = 2;
  readonly outputs = 1;
  constructor(
    private readonly targets: Float64Array,
    private readonly weights: Float64Array,
  ) {}
  accumulate(
    hist: Float64Array,
    offset: number,
    bins: Uint8Array,
    column: number,
    idx: Uint32Array,
    start: number,
    end: number,
  ) {
    const { targets, weights } = this;
    for (let i = start; i < end; i++) {
      const r = idx[i];
      const o = offset + bins[column + r] * 2;
      hist[o] += weights[r] * targets[r];
      hist[o + 1] += weights[r];
    }
  }
  totals(idx: Uint32Array, start: number, end: number, out: Float64Array) {
    out[0] = out[1] = 0;
    for (let i = start; i < end; i++) {
      out[0] += this.weights[idx[i]] * this.targets[idx[i]];
      out[1] += this.weights[idx[i]];
    }
  }
  count(stats: Float64Array, offset: number) {
    return stats[offset + 1];
  }
  score(stats: Float64Array, offset: number) {
    const w = stats[offset + 1];
    return w > 0 ? (stats[offset] * stats[offset]) / w : 0;
  }
  leafValue(stats: Float64Array, offset: number, out: Float64Array, outOffset: number) {
    out[outOffset] = stats[offset + 1] > 0 ? stats[offset] / stats[offset + 1] : 0;
  }
}

/**
 * Gradient boosting: sums of gradients, hessians and rows; the second-order gain with L2
 * regularization (score = G^2 / (H + lambda)) and the Newton step -G / (H + lambda), times the
 * learning rate, as the leaf.
 */
export class GradientCriterion implements Criterion {
  readonly stride = 3;
  readonly outputs = 1;
  constructor(
    private readonly gradients: Float64Array,
    private readonly hessians: Float64Array,
    private readonly lambda: number,
    private readonly minHessian: number,
    private readonly learningRate: number,
  ) {}
  accumulate(
    hist: Float64Array,
    offset: number,
    bins: Uint8Array,
    column: number,
    idx: Uint32Array,
    start: number,
    end: number,
  ) {
    const { gradients, hessians } = this;
    for (let i = start; i < end; i++) {
      const r = idx[i];
      const o = offset + bins[column + r] * 3;
      hist[o] += gradients[r];
      hist[o + 1] += hessians[r];
      hist[o + 2] += 1;
    }
  }
  totals(idx: Uint32Array, start: number, end: number, out: Float64Array) {
    out[0] = out[1] = 0;
    for (let i = start; i < end; i++) {
      out[0] += this.gradients[idx[i]];
      out[1] += this.hessians[idx[i]];
    }
    out[2] = end - start;
  }
  count(stats: Float64Array, offset: number) {
    return stats[offset + 2];
  }
  score(stats: Float64Array, offset: number) {
    const h = stats[offset + 1];
    if (h < this.minHessian) return -Infinity;
    return (stats[offset] * stats[offset]) / (h + this.lambda);
  }
  leafValue(stats: Float64Array, offset: number, out: Float64Array, outOffset: number) {
    out[outOffset] = (-stats[offset] / (stats[offset + 1] + this.lambda)) * this.learningRate;
  }
}
