import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { rememberStockKernel } from './kernel-calls.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/**
 * A sum over every axis but the last (a bias gradient: dy summed over batch and positions) as
 * column sums in one pass (../../simd/column-sums.c); tfjs' wasm kernel transposes the tensor first
 * so that the summed axes come last, a copy of all of it. Other sums: the stock kernel.
 */
function sum(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const wasm = args.backend as BackendWasm;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !allButLast)
    return rememberStockKernel('Sum')(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const columns = x.shape[rank - 1]!;
  const out = wasm.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), columns] : [columns], 'float32');
  const rows = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  simdKernels(wasm).column_sums(heapOffset(wasm, x), heapOffset(wasm, out), rows, columns);
  return out;
}

export const sumConfig: tf.KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: sum as unknown as tf.KernelFunc,
};
