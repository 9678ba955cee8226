import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '../tf.js';
import { columnBias, matMulDims } from './kernel-calls.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/** Below this many multiply-adds a product runs on the calling thread (../../simd/matmul.c). */
export const SMALL_PRODUCT = 32 * 1024;

/**
 * op(a) op(b) (+ bias, relu) in WebAssembly SIMD on the calling thread, for single small matrices;
 * undefined otherwise. With tfjs' thread pool running, XNNPACK wakes it for every product, however
 * small: an LSTM's dense layer took 1.5 ms a step on two threads against 0.3 on one.
 */
export function smallMatMul(
  wasm: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias?: tf.TensorInfo,
  relu: 0 | 1 = 0,
): tf.TensorInfo | undefined {
  const dims = matMulDims(a, b, transposeA, transposeB);
  if (
    !dims ||
    dims.batchA !== 1 ||
    dims.batchB !== 1 ||
    dims.m * dims.n * dims.k > SMALL_PRODUCT ||
    !columnBias(bias, dims.n)
  )
    return undefined;
  if ([a, b, bias].some((t) => t && t.dtype !== 'float32')) return undefined;
  const { m, n, k, outShape } = dims;
  const out = wasm.makeOutput(outShape, 'float32');
  simdKernels(wasm).matmul(
    heapOffset(wasm, a),
    heapOffset(wasm, b),
    bias ? heapOffset(wasm, bias) : 0,
    heapOffset(wasm, out),
    m,
    n,
    k,
    +transposeA,
    +transposeB,
    relu,
  );
  return out;
}
