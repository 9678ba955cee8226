/**
 * One decision tree grown on binned features. The rows of a node are a range of one Uint32Array of
 * row indices, partitioned in place when the node splits. A split is found from per-feature
 * histograms of the criterion's statistics:
 * - when most features are candidates at each split (gradient boosting), every node keeps a
 *   histogram of all features, and of two children only the smaller is summed from its rows: the
 *   larger one is the parent's histogram minus the smaller's (the subtraction trick);
 * - when few are (a random forest's sqrt(features)), the sampled features' histograms are summed
 *   directly, which touches fewer numbers than a full histogram of even the smaller child.
 * Depth-first when the leaves are not limited; best-first (largest gain next) when maxLeaves is set.
 */
import type { SeededRandom } from '@stagegraph/pipeline';
import { BIN_SLOTS, MISSING_BIN, type BinnedFeatures } from './binning.js';
import type { Criterion } from './criteria.js';
import { noSplit, scanFeature, SplitScratch, type Split } from './split-search.js';
import type { TreeArrays } from './tree-model.js';

export interface TreeOptions {
  /** Deepest level a split may happen at plus one (the root is depth 0); Infinity for none. */
  maxDepth: number;
  /** Least weight (rows, counted with their bootstrap multiplicity) in a leaf. */
  minSamplesLeaf: number;
  /** Most leaves; Infinity for none. */
  maxLeaves: number;
  /** Features drawn as candidates at each split (all of them when it equals the feature count). */
  featuresPerSplit: number;
  /** How histograms are made (default 'auto', see the file comment); the others are for tests. */
  histograms?: 'auto' | 'subtract' | 'direct';
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  totals: Float64Array;
  score: number;
  /** Every feature's histogram, when this node has one (see the file comment). */
  hist: Float64Array | null;
  split: Split;
}

/** Below this many rows a scan visits the bins the rows occupy, not all of them. */
const FEW_ROWS = 1024;
/** Below this many rows in the larger child, children sum their sampled features directly. */
const FULL_HISTOGRAM_MIN_ROWS = 256;

export class TreeGrower {
  private readonly stride: number;
  private readonly fullHistograms: boolean;
  private readonly scratch: SplitScratch;
  private readonly featureHist: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly order: Int32Array;
  private readonly binsPerFeature: Int32Array;
  // the tree under construction, by node id
  private feature: number[] = [];
  private bin: number[] = [];
  private missingLeft: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private leafValues: Float64Array[] = [];

  constructor(
    private readonly data: BinnedFeatures,
    private readonly criterion: Criterion,
    private readonly options: TreeOptions,
    private readonly random: SeededRandom,
  ) {
    this.stride = criterion.stride;
    const mode = options.histograms ?? 'auto';
    this.fullHistograms = mode === 'auto' ? options.featuresPerSplit * 2 >= data.cols : mode === 'subtract';
    this.scratch = new SplitScratch(this.stride);
    this.featureHist = new Float64Array(BIN_SLOTS * this.stride);
    this.order = Int32Array.from({ length: data.cols }, (_, f) => f);
    this.binsPerFeature = Int32Array.from(data.edges, (e) => e.length + 1);
  }

  /** Grows a tree on rows idx (each at least once; their weights live in the criterion), reordering idx. */
  grow(idx: Uint32Array): TreeArrays {
    this.feature = [];
    this.bin = [];
    this.missingLeft = [];
    this.left = [];
    this.right = [];
    this.leafValues = [];
    const root = this.openNode(idx, 0, idx.length, 0);
    if (this.fullHistograms) root.hist = this.fullHistogram(idx, 0, idx.length);
    root.split = this.findSplit(idx, root);
    const frontier = [root];
    let leaves = 1;
    while (frontier.length > 0) {
      const node = this.takeNext(frontier);
      if (node.split.gain === -Infinity || leaves >= this.options.maxLeaves) {
        this.makeLeaf(node);
        continue;
      }
      frontier.push(...this.splitNode(idx, node));
      leaves++;
    }
    return this.finish();
  }

  /** Best-first when leaves are limited (the largest gain), else depth-first (the last opened). */
  private takeNext(frontier: OpenNode[]): OpenNode {
    if (this.options.maxLeaves === Infinity) return frontier.pop()!;
    let best = 0;
    for (let i = 1; i < frontier.length; i++) if (frontier[i].split.gain > frontier[best].split.gain) best = i;
    const node = frontier[best];
    frontier[best] = frontier[frontier.length - 1];
    frontier.pop();
    return node;
  }

  private openNode(idx: Uint32Array, start: number, end: number, depth: number): OpenNode {
    const id = this.feature.length;
    this.feature.push(-1);
    this.bin.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.leafValues.push(new Float64Array(0));
    const totals = new Float64Array(this.stride);
    this.criterion.totals(idx, start, end, totals);
    const score = this.criterion.score(totals, 0);
    return { id, start, end, depth, totals, score, hist: null, split: noSplit() };
  }

  private makeLeaf(node: OpenNode) {
    const value = new Float64Array(this.criterion.outputs);
    this.criterion.leafValue(node.totals, 0, value, 0);
    this.leafValues[node.id] = value;
    this.release(node);
  }

  private release(node: OpenNode) {
    if (node.hist) this.pool.push(node.hist);
    node.hist = null;
  }

  /** Partitions the node's rows, opens its two children (with histograms when worth it) and finds their splits. */
  private splitNode(idx: Uint32Array, node: OpenNode): OpenNode[] {
    const { feature, bin, missingLeft } = node.split;
    const mid = this.partition(idx, node.start, node.end, feature, bin, missingLeft);
    const leftChild = this.openNode(idx, node.start, mid, node.depth + 1);
    const rightChild = this.openNode(idx, mid, node.end, node.depth + 1);
    this.feature[node.id] = feature;
    this.bin[node.id] = bin;
    this.missingLeft[node.id] = missingLeft ? 1 : 0;
    this.left[node.id] = leftChild.id;
    this.right[node.id] = rightChild.id;
    const [small, large] = mid - node.start <= node.end - mid ? [leftChild, rightChild] : [rightChild, leftChild];
    if (node.hist && large.end - large.start >= FULL_HISTOGRAM_MIN_ROWS) {
      small.hist = this.fullHistogram(idx, small.start, small.end);
      large.hist = node.hist;
      node.hist = null;
      const parent = large.hist;
      const smaller = small.hist;
      for (let i = 0; i < parent.length; i++) parent[i] -= smaller[i];
    }
    this.release(node);
    for (const child of [rightChild, leftChild]) {
      child.split = this.findSplit(idx, child);
      if (child.split.gain === -Infinity) this.release(child);
    }
    return [rightChild, leftChild];
  }

  /** Moves the rows that go left to the front of idx[start..end); returns where the right ones begin. */
  private partition(idx: Uint32Array, start: number, end: number, f: number, bin: number, missingLeft: boolean) {
    const bins = this.data.bins;
    const column = f * this.data.rows;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const r = idx[i];
      const b = bins[column + r];
      if (b === MISSING_BIN ? missingLeft : b <= bin) i++;
      else {
        idx[i] = idx[j];
        idx[j--] = r;
      }
    }
    return i;
  }

  /** Every feature's histogram of rows idx[start..end). */
  private fullHistogram(idx: Uint32Array, start: number, end: number): Float64Array {
    const { cols, rows, bins } = this.data;
    const size = cols * BIN_SLOTS * this.stride;
    const hist = this.pool.pop() ?? new Float64Array(size);
    hist.fill(0);
    for (let f = 0; f < cols; f++)
      this.criterion.accumulate(hist, f * BIN_SLOTS * this.stride, bins, f * rows, idx, start, end);
    return hist;
  }

  /** The first featuresPerSplit entries of a fresh partial shuffle of the features. */
  private candidateFeatures(): Int32Array {
    const { order } = this;
    const m = Math.min(this.options.featuresPerSplit, order.length);
    if (m < order.length) {
      for (let i = 0; i < m; i++) {
        const j = i + this.random.nextInt(order.length - i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order.subarray(0, m);
  }

  private findSplit(idx: Uint32Array, node: OpenNode): Split {
    const best = noSplit();
    const { minSamplesLeaf, maxDepth } = this.options;
    const weight = this.criterion.count(node.totals, 0);
    if (node.depth >= maxDepth || weight < 2 * minSamplesLeaf || node.score === -Infinity) return best;
    const { bins, rows } = this.data;
    const { scratch, stride, featureHist, criterion } = this;
    const few = node.end - node.start < FEW_ROWS;
    for (const f of this.candidateFeatures()) {
      if (few) scratch.collectBins(bins, f * rows, idx, node.start, node.end);
      else scratch.useAllBins(this.binsPerFeature[f]);
      if (node.hist) {
        const offset = f * BIN_SLOTS * stride;
        scanFeature(criterion, node.hist, offset, f, node.totals, node.score, minSamplesLeaf - 0.5, scratch, best);
        continue;
      }
      criterion.accumulate(featureHist, 0, bins, f * rows, idx, node.start, node.end);
      scanFeature(criterion, featureHist, 0, f, node.totals, node.score, minSamplesLeaf - 0.5, scratch, best);
      this.clearFeatureHist(few);
    }
    // a gain within rounding of zero (a pure node) is no gain
    if (!(best.gain > 1e-10 * Math.max(1, Math.abs(node.score)))) return noSplit();
    return best;
  }

  /** Zeroes the single-feature histogram: only the bins just scanned when the node was small. */
  private clearFeatureHist(few: boolean) {
    const { featureHist, stride, scratch } = this;
    if (!few) {
      featureHist.fill(0);
      return;
    }
    for (let i = 0; i < scratch.binCount; i++)
      featureHist.fill(0, scratch.binList[i] * stride, (scratch.binList[i] + 1) * stride);
    featureHist.fill(0, MISSING_BIN * stride, BIN_SLOTS * stride);
  }

  /** The tree in pre-order (a node's left child follows it), as flat arrays. */
  private finish(): TreeArrays {
    const preorder: number[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const id = stack.pop()!;
      preorder.push(id);
      if (this.feature[id] >= 0) stack.push(this.right[id], this.left[id]);
    }
    const newId = new Int32Array(preorder.length);
    preorder.forEach((id, i) => (newId[id] = i));
    const n = preorder.length;
    const tree: TreeArrays = {
      feature: new Int32Array(n),
      bin: new Uint8Array(n),
      missingLeft: new Uint8Array(n),
      right: new Int32Array(n),
      value: new Float64Array(preorder.filter((id) => this.feature[id] < 0).length * this.criterion.outputs),
    };
    let leaf = 0;
    preorder.forEach((id, i) => {
      tree.feature[i] = this.feature[id];
      if (this.feature[id] < 0) {
        tree.value.set(this.leafValues[id], leaf++ * this.criterion.outputs);
        return;
      }
      tree.bin[i] = this.bin[id];
      tree.missingLeft[i] = this.missingLeft[id];
      tree.right[i] = newId[this.right[id]];
    });
    return tree;
  }
}
