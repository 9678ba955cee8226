/**
 * The best split of one feature from its histogram: a scan over the occupied bins in order, with
 * the missing bin tried on each side (its direction is learned; with no missing rows they go left).
 */
import { BIN_SLOTS, MISSING_BIN } from './binning.js';
import type { Criterion } from './criteria.js';

/** A node's best split so far (gain -Infinity: none found). */
export interface Split {
  gain: number;
  feature: number;
  /** Rows whose bin is at most this go left. */
  bin: number;
  missingLeft: boolean;
}

export const noSplit = (): Split => ({ gain: -Infinity, feature: -1, bin: 0, missingLeft: true });

/** Scratch space for a scan, allocated once per tree builder. */
export class SplitScratch {
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly missing: Float64Array;
  readonly withMissing: Float64Array;
  /** The occupied value bins of the feature being scanned, ascending, and a bitmap to find them. */
  readonly binList = new Uint8Array(BIN_SLOTS);
  binCount = 0;
  private readonly bitmap = new Uint32Array(BIN_SLOTS / 32);
  private readonly allBins = Uint8Array.from({ length: BIN_SLOTS - 1 }, (_, b) => b);

  constructor(stride: number) {
    this.left = new Float64Array(stride);
    this.right = new Float64Array(stride);
    this.missing = new Float64Array(stride);
    this.withMissing = new Float64Array(stride);
  }

  /** Every value bin (for nodes with many rows, where nearly every bin is occupied). */
  useAllBins(binsOfFeature: number) {
    this.binList.set(this.allBins.subarray(0, binsOfFeature));
    this.binCount = binsOfFeature;
  }

  /** The value bins rows idx[start..end) occupy (bins[column + row]) (for small nodes: their scan skips empty bins). */
  collectBins(bins: Uint8Array, column: number, idx: Uint32Array, start: number, end: number) {
    const bitmap = this.bitmap;
    bitmap.fill(0);
    for (let i = start; i < end; i++) {
      const b = bins[column + idx[i]];
      bitmap[b >>> 5] |= 1 << (b & 31);
    }
    let n = 0;
    for (let word = 0; word < bitmap.length; word++) {
      let bits = bitmap[word];
      while (bits !== 0) {
        const lowest = bits & -bits;
        const b = (word << 5) + 31 - Math.clz32(lowest);
        if (b !== MISSING_BIN) this.binList[n++] = b;
        bits ^= lowest;
      }
    }
    this.binCount = n;
  }
}

/**
 * Scans feature f's histogram (hist at offset, stride numbers per bin) over scratch.binList and
 * improves best when a split beats it. totals are the node's statistics, nodeScore its score.
 */
export function scanFeature(
  criterion: Criterion,
  hist: Float64Array,
  offset: number,
  f: number,
  totals: Float64Array,
  nodeScore: number,
  minLeaf: number,
  scratch: SplitScratch,
  best: Split,
): void {
  const { stride } = criterion;
  const { left, right, missing, withMissing, binList, binCount } = scratch;
  missing.set(hist.subarray(offset + MISSING_BIN * stride, offset + BIN_SLOTS * stride));
  const hasMissing = criterion.count(missing, 0) > 0;
  left.fill(0);
  for (let i = 0; i < binCount; i++) {
    const o = offset + binList[i] * stride;
    for (let s = 0; s < stride; s++) {
      left[s] += hist[o + s];
      right[s] = totals[s] - left[s];
    }
    // missing rows on the right (they are in right = totals - left); at the last bin that is values vs missing
    if (i < binCount - 1 || hasMissing)
      tryCandidate(criterion, left, right, nodeScore, minLeaf, best, f, binList[i], !hasMissing);
    if (!hasMissing || i === binCount - 1) continue;
    for (let s = 0; s < stride; s++) {
      withMissing[s] = left[s] + missing[s];
      right[s] -= missing[s];
    }
    tryCandidate(criterion, withMissing, right, nodeScore, minLeaf, best, f, binList[i], true);
  }
}

function tryCandidate(
  criterion: Criterion,
  left: Float64Array,
  right: Float64Array,
  nodeScore: number,
  minLeaf: number,
  best: Split,
  feature: number,
  bin: number,
  missingLeft: boolean,
) {
  if (criterion.count(left, 0) < minLeaf || criterion.count(right, 0) < minLeaf) return;
  const gain = criterion.score(left, 0) + criterion.score(right, 0) - nodeScore;
  if (gain > best.gain) {
    best.gain = gain;
    best.feature = feature;
    best.bin = bin;
    best.missingLeft = missingLeft;
  }
}
