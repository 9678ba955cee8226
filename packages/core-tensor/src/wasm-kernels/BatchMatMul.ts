import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { callKernel, heapF32, release, rememberStockKernel, transpose } from './kernel-calls.js';
import { nativeMatMul } from './native-kernels.js';
import { smallMatMul } from './small-matmul.js';

/** How often each path ran, so tests can tell which one computed a product. */
export const batchMatMulRuns = { stock: 0, transposed: 0, swapped: 0 };

/**
 * XNNPACK multiplies as a fully connected layer: it packs the right operand (once per tensor, then
 * caches it) and streams the left one. Two costs follow, both measured on the seed CNN's dense layer:
 * - a transposed operand takes a slow single-threaded path (dW, x^T dy: 261 ms vs 22 ms), so
 *   transposing first and multiplying plainly wins: the transpose is one memory pass;
 * - packing a large right operand that is new on every call (the weights after each optimizer step,
 *   or their transpose in dx = dy W^T) costs more than the product: ~11 ms of a 15 ms forward pass.
 *   Then C = A B is computed as (B^T A^T)^T, so the small operand is the packed one.
 */
function batchMatMul({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  // small first: a call into oneDNN costs more than a small product (an LSTM's dense layer)
  const direct =
    smallMatMul(wasm, a, b, transposeA, transposeB) ??
    nativeMatMul(wasm, a, b, transposeA, transposeB) ??
    emptyProduct(wasm, a, b, transposeA, transposeB);
  if (direct) return direct;
  const stock = rememberStockKernel('BatchMatMul');
  const swap = shouldSwap(a, b, transposeA, transposeB);
  if (!transposeB) seenAsRight.add(b.dataId);
  if (!swap && !transposeA && !transposeB) {
    batchMatMulRuns.stock++;
    return stock({ inputs, attrs, backend: backend as object }) as tf.TensorInfo;
  }
  // the transposes made for this call, released once the product is out
  const temporaries: tf.TensorInfo[] = [];
  const transposed = (x: tf.TensorInfo) => {
    const out = transpose(x, swapLastTwo(x.shape.length), wasm);
    temporaries.push(out);
    return out;
  };
  const multiplyPlainly = (left: tf.TensorInfo, right: tf.TensorInfo) =>
    callKernel('BatchMatMul', { a: left, b: right }, { transposeA: false, transposeB: false }, wasm);
  try {
    if (!swap) {
      batchMatMulRuns.transposed++;
      return multiplyPlainly(transposeA ? transposed(a) : a, transposeB ? transposed(b) : b);
    }
    batchMatMulRuns.swapped++;
    // (op(A) op(B))^T = op(B)^T op(A)^T, and op(X)^T is X itself when X was to be transposed
    const productT = multiplyPlainly(transposeB ? b : transposed(b), transposeA ? a : transposed(a));
    temporaries.push(productT);
    return transpose(productT, swapLastTwo(productT.shape.length), wasm);
  } finally {
    release(wasm, ...temporaries);
  }
}

/**
 * A product with nothing to multiply (an empty batch or row count, or an inner size of 0): zeros of
 * the output's shape, as the cpu backend gives; tfjs' wasm kernel divides by zero on it.
 */
function emptyProduct(
  wasm: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo | undefined {
  const [m, k, n] = [
    a.shape.at(transposeA ? -1 : -2)!,
    a.shape.at(transposeA ? -2 : -1)!,
    b.shape.at(transposeB ? -2 : -1)!,
  ];
  const outShape = [...tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  if (k !== 0 && outShape.every((d) => d > 0)) return undefined;
  const out = wasm.makeOutput(outShape, 'float32');
  heapF32(wasm, out).fill(0);
  return out;
}

/** The permutation that swaps a tensor's last two axes. */
const swapLastTwo = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

// Untransposed right operands seen before: one used again (a model's weights across prediction
// batches) is taken to be reused, so packing it once, on the plain path, pays.
const seenAsRight = new WeakSet<object>();

/**
 * Elements moved per path, packing counted three times (measured: packing 3136x1024 weights ~11 ms,
 * transposing them ~3.6 ms). Only for single matrices: batched products keep the plain path.
 */
function shouldSwap(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1) * b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  if (batch !== 1) return false;
  const size = (x: tf.TensorInfo) => x.shape.reduce((p, d) => p * d, 1);
  const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
  const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
  const packed = !transposeB && seenAsRight.has(b.dataId);
  const plain = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + (packed ? 0 : 3 * size(b));
  const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + 3 * size(a) + rows * cols;
  return swapped < plain;
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul,
};
