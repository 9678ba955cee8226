import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { poolInfo } from './kernel-calls.js';
import { nativeMaxPoolGrad } from './native-kernels.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/**
 * The max-pool gradient in one pass over the wasm heap, in WebAssembly SIMD (../../simd/max-pool-grad.c):
 * each output's gradient goes to the first maximum of its window (as TensorFlow does). The stock
 * wasm kernel took ~58 ms for a 32x28x28x32 input.
 */
function maxPoolGrad({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const info = poolInfo(input.shape, attrs as unknown as tf.MaxPoolGradAttrs);
  const native = nativeMaxPoolGrad(wasm, input, dy, info);
  if (native) return native;
  const out = wasm.makeOutput(input.shape, 'float32');
  simdKernels(wasm).max_pool_grad(
    heapOffset(wasm, input),
    heapOffset(wasm, dy),
    heapOffset(wasm, out),
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.effectiveFilterHeight,
    info.effectiveFilterWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
  return out;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
