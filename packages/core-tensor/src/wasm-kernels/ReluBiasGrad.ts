import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { heapF32 } from './kernel-calls.js';
import { nativeReluBiasGrad } from './native-kernels.js';

/**
 * A kernel of our own: the backward pass of a relu layer with a bias (a convolution or dense layer
 * trained through conv2dBiasActivation / denseBiasActivation) up to its products. From dy and the
 * layer's output y: dy where y > 0, else 0 (NaN where y is NaN), and the bias gradient, that summed over
 * every axis but the last. tfjs' mul(dy, step(y)) differs only where y <= 0 and dy is NaN or
 * infinite (NaN there; 0 here, as TensorFlow's ReluGrad). tfjs runs Step, Cast, Multiply and Sum, four passes over the
 * seed CNN's 3.2 MB first activation (1.3 ms a step); the native kernels make one, on every core.
 */
export const RELU_BIAS_GRAD = 'StageGraphReluBiasGrad';

function reluBiasGrad({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { dy, y } = inputs as Record<'dy' | 'y', tf.TensorInfo>;
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, y.shape))
    throw new Error(
      `${RELU_BIAS_GRAD}: expected float32 dy and y of one shape, got ${dy.dtype} [${dy.shape}] and ${y.dtype} [${y.shape}]`,
    );
  const native = nativeReluBiasGrad(wasm, dy, y);
  if (native) return native;
  // without the native kernels: one pass in JavaScript over the heap, still one pass instead of four
  const columns = y.shape.at(-1) ?? 1;
  const [dx, dbias] = [wasm.makeOutput(y.shape, 'float32'), wasm.makeOutput([columns], 'float32')];
  const [dyValues, yValues, dxValues, sums] = [dy, y, dx, dbias].map((info) => heapF32(wasm, info)) as Float32Array[];
  sums!.fill(0);
  for (let i = 0; i < yValues!.length; i++) {
    const value = yValues![i]!;
    const d = value > 0 ? dyValues![i]! : Number.isNaN(value) ? NaN : 0;
    dxValues![i] = d;
    sums![i % columns] += d;
  }
  return [dx, dbias];
}

export const reluBiasGradConfig: tf.KernelConfig = {
  kernelName: RELU_BIAS_GRAD,
  backendName: 'wasm',
  kernelFunc: reluBiasGrad as unknown as tf.KernelFunc,
};
