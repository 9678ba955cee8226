/**
 * Features to small integers, once per training: each feature's values are cut at quantiles into at
 * most 255 bins (fewer when it has fewer distinct values), and a missing value (NaN) gets bin 255 of
 * its own. Trees then split on bin numbers, so finding a split is a scan over at most 255 histogram
 * slots instead of a sort of the rows.
 */

/** The bin of a missing value; value bins are 0..MISSING_BIN-1. */
export const MISSING_BIN = 255;
/** Histogram slots per feature: the value bins and the missing bin. */
export const BIN_SLOTS = 256;

export type FeatureMatrix = Float32Array | Float64Array;

/** Per feature, the upper edges of its bins: bin b holds edges[b-1] < v <= edges[b]; the last bin has no edge. */
export type BinEdges = Float64Array[];

/** Binned features, feature-major: bins[f * rows + r] (one feature's column is contiguous). */
export interface BinnedFeatures {
  bins: Uint8Array;
  rows: number;
  cols: number;
  edges: BinEdges;
}

/** Rows sampled to place the quantiles: enough for 255 bins, and bounded for large tables. */
const QUANTILE_SAMPLE = 200_000;

/** The sorted non-missing values of feature f (of at most QUANTILE_SAMPLE evenly spaced rows). */
function sortedValues(x: FeatureMatrix, rows: number, cols: number, f: number): Float64Array {
  const step = Math.max(1, Math.floor(rows / QUANTILE_SAMPLE));
  const values = new Float64Array(Math.ceil(rows / step));
  let n = 0;
  for (let r = 0; r < rows; r += step) {
    const v = x[r * cols + f];
    if (v === v) values[n++] = v;
  }
  return values.subarray(0, n).sort();
}

/** Bin edges of one feature: midpoints between distinct values when they fit, else between quantiles. */
export function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    const edges = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < edges.length; i++) edges[i] = midpoint(distinct[i], distinct[i + 1]);
    return edges;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    // the cut just below the value at quantile b / maxBins (or below the next distinct one, on ties)
    let at = Math.max(1, Math.floor((b * sorted.length) / maxBins));
    while (at < sorted.length && sorted[at] === sorted[at - 1]) at++;
    if (at >= sorted.length) break;
    const edge = midpoint(sorted[at - 1], sorted[at]);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** A cut strictly between a and b (a < b) that a is at or below. */
function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  return m >= b ? a : m;
}

/** Learns each feature's edges from the rows of x (row-major, rows x cols). */
export function fitBinEdges(x: FeatureMatrix, rows: number, cols: number, maxBins = 255): BinEdges {
  if (!(maxBins >= 2 && maxBins <= 255)) throw new RangeError(`maxBins: expected 2..255, got ${maxBins}`);
  return Array.from({ length: cols }, (_, f) => featureEdges(sortedValues(x, rows, cols, f), maxBins));
}

/** The bin of v among edges: the first edge v is at or below (binary search), MISSING_BIN for NaN. */
export function binOf(edges: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** x (row-major) binned with edges learned elsewhere (the training rows'), feature-major. */
export function applyBins(x: FeatureMatrix, rows: number, cols: number, edges: BinEdges): BinnedFeatures {
  const bins = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const fe = edges[f];
    const out = f * rows;
    for (let r = 0; r < rows; r++) bins[out + r] = binOf(fe, x[r * cols + f]);
  }
  return { bins, rows, cols, edges };
}

/** Learns the edges from x and bins it. */
export function binFeatures(x: FeatureMatrix, rows: number, cols: number, maxBins = 255): BinnedFeatures {
  return applyBins(x, rows, cols, fitBinEdges(x, rows, cols, maxBins));
}
