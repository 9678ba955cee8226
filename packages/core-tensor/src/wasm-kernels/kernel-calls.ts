import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { heapOffset } from './simd-kernels.js';

type Attrs = Record<string, unknown>;

/** The kernels as tfjs-backend-wasm registered them, captured before any of ours replaced them. */
const stockKernels = new Map<string, tf.KernelFunc>();

export function rememberStockKernel(name: string): tf.KernelFunc {
  if (!stockKernels.has(name)) {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`the wasm backend has no ${name} kernel to wrap`);
    stockKernels.set(name, config.kernelFunc);
  }
  return stockKernels.get(name)!;
}

/** Runs a stock wasm kernel on TensorInfos, the way tfjs' own kernels compose each other. */
export function callKernel(
  name: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Attrs,
  backend: BackendWasm,
): tf.TensorInfo {
  const kernel = stockKernels.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel({ inputs, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
}

export function transpose(x: tf.TensorInfo, perm: number[], backend: BackendWasm): tf.TensorInfo {
  return callKernel('Transpose', { x }, { perm }, backend);
}

export function slice(x: tf.TensorInfo, begin: number[], size: number[], backend: BackendWasm): tf.TensorInfo {
  return callKernel('Slice', { x }, { begin, size }, backend);
}

/** Releases intermediate results (each kernel output holds one reference to its data). */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The float32 view of a tensor's data inside the wasm heap (valid until the heap grows). */
export function heapF32(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return new Float32Array(
    (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer,
    heapOffset(backend, info),
    tf.util.sizeFromShape(info.shape),
  );
}

/**
 * The sizes of op(a) op(b): rows m, columns n, inner k, each operand's batch (the product of its
 * leading axes) and the output's shape; undefined where our direct products should not take it
 * (inner sizes that differ, which the stock kernel reports, or nothing to compute).
 */
export function matMulDims(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean) {
  const batch = (x: tf.TensorInfo) => x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const [m, k, kB, n] = [
    a.shape.at(transposeA ? -1 : -2)!,
    a.shape.at(transposeA ? -2 : -1)!,
    b.shape.at(transposeB ? -1 : -2)!,
    b.shape.at(transposeB ? -2 : -1)!,
  ];
  const [batchA, batchB] = [batch(a), batch(b)];
  if (k !== kB || m * n * k * batchA * batchB === 0) return undefined;
  const outShape = [...tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  return { m, n, k, batchA, batchB, outShape };
}

/** A bias the direct products add: one value per output column, as a rank-1 tensor (the stock kernels' rule). */
export const columnBias = (bias: tf.TensorInfo | undefined, n: number) =>
  !bias || (bias.shape.length === 1 && bias.shape[0] === n);

/** A max pool's geometry from its kernel's attributes (MaxPool and MaxPoolGrad take the same ones). */
export const poolInfo = (shape: number[], attrs: tf.MaxPoolAttrs): tf.backend_util.Conv2DInfo =>
  tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
