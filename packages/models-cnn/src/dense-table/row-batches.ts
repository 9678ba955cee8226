/**
 * Batches of a prepared table's rows as tensors, each built from a row-major Float32Array slice
 * gathered for that batch (never one tensor of every row): what the dense network trains and
 * predicts from, so a table of millions of rows costs one batch of tensor memory at a time.
 */
import type { tf } from '@stagegraph/core-tensor';

export interface TableRows {
  /** rows x cols, row-major. */
  x: Float32Array;
  rows: number;
  cols: number;
  /** Class codes (classification) or standardised values (regression), one per row. */
  y: Int32Array | Float32Array;
  /** Classes of a classification; 0 for a regression. */
  classes: number;
}

/** The rows `order[from, to)` of data as an input tensor and a target tensor (one-hot for a classification). */
export function batchTensors(
  tfjs: typeof tf,
  data: TableRows,
  order: Int32Array,
  from: number,
  to: number,
): [tf.Tensor2D, tf.Tensor2D] {
  const { x, cols, y, classes } = data;
  const n = to - from;
  const xs = new Float32Array(n * cols);
  const width = classes > 0 ? classes : 1;
  const ys = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const r = order[from + i];
    xs.set(x.subarray(r * cols, (r + 1) * cols), i * cols);
    if (classes > 0) ys[i * width + y[r]] = 1;
    else ys[i] = y[r];
  }
  return [tfjs.tensor2d(xs, [n, cols]), tfjs.tensor2d(ys, [n, width])];
}

/** The model's outputs for every row of x, batch by batch: rows x (classes or 1). */
export function predictRows(tfjs: typeof tf, model: tf.LayersModel, x: Float32Array, rows: number, cols: number) {
  const width = model.outputs[0].shape[1] as number;
  const out = new Float32Array(rows * width);
  const batch = 4096;
  for (let from = 0; from < rows; from += batch) {
    const n = Math.min(batch, rows - from);
    const values = tfjs.tidy(() =>
      (model.predict(tfjs.tensor2d(x.subarray(from * cols, (from + n) * cols), [n, cols])) as tf.Tensor).dataSync(),
    );
    out.set(values, from * width);
  }
  return out;
}
