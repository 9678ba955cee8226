import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { nativeAdam, nativeKernelsStatus } from './native-kernels.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/**
 * A kernel of our own (no stock one exists): one Adam step for one variable, in one pass. Called by
 * FusedAdamOptimizer with the optimizer's own variables, which it may update in place: a caller
 * that passes tensors it holds nowhere else gets them overwritten.
 */
export const ADAM_UPDATE = 'StageGraphAdamUpdate';

/** Updates written over the variables' own memory, so tests can tell that path ran. */
export const adamRuns = { inPlace: 0 };

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t: the bias corrections of step t */
  correction1: number;
  correction2: number;
}

/** Whether the update may be written over value, m and v: no other tensor shares their memory. */
function updatableInPlace(wasm: BackendWasm, infos: tf.TensorInfo[]): boolean {
  const ids = new Set(infos.map((info) => info.dataId));
  return ids.size === infos.length && infos.slice(0, 3).every((info) => wasm.refCount(info.dataId) === 1);
}

/** What tfjs-backend-wasm keeps per tensor (not in its types). */
interface WasmInternals {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: { tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void } };
}

/**
 * XNNPACK keeps its operators (a convolution's packed filter, a product's packed weights) per tensor
 * id and drops them when the tensor is disposed: a new tensor each step never met a stale one. An
 * update in place keeps the id, and wasm alone then trained on the first step's weights (losses
 * off from cpu's from the second step). Re-registering the id drops them, as disposal would.
 */
function forgetPackedCopies(backend: BackendWasm, info: tf.TensorInfo): void {
  const wasm = backend as unknown as WasmInternals;
  const { id, memoryOffset } = wasm.dataIdMap.get(info.dataId);
  wasm.wasm.tfjs.disposeData(id);
  wasm.wasm.tfjs.registerTensor(
    id,
    info.shape.reduce((a, b) => a * b, 1),
    memoryOffset,
  );
}

/**
 * tfjs' Adam runs ~14 elementwise kernels per variable, each a pass over memory (on the seed CNN's
 * 3.3M weights, ~50 ms of a ~150 ms training step); this reads value, gradient and both moments
 * once and writes the three results once, in WebAssembly SIMD (../../simd/adam.c: 3.7 ms for the
 * seed CNN's weights, against 39 ms for the same loop in JavaScript). tfjs' AdamOptimizer's
 * formula, rearranged: (m / c1) / (sqrt(v / c2) + eps) = m * (sqrt(c2) / c1) / (sqrt(v) + eps * sqrt(c2)),
 * one division and one square root per weight instead of three divisions and a root. Where the
 * native kernels are loaded, large variables take the same formula there (../../native/elementwise.cc).
 */
function adamUpdate({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { value, gradient, m, v } = inputs as Record<'value' | 'gradient' | 'm' | 'v', tf.TensorInfo>;
  const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = attrs as unknown as AdamUpdateAttrs;
  for (const [name, info] of Object.entries({ value, gradient, m, v })) {
    if (info.dtype !== 'float32') throw new Error(`${ADAM_UPDATE}: ${name} must be float32, got ${info.dtype}`);
    // one pass reads all four element by element: a smaller one would be read past its end
    if (!tf.util.arraysEqual(info.shape, value.shape))
      throw new Error(`${ADAM_UPDATE}: ${name} must have the value's shape [${value.shape}], got [${info.shape}]`);
  }
  // In place where nothing else holds the variables' memory (the optimizer's own variables, as in
  // training): three 13 MB arrays fewer to write for the seed CNN's dense kernel (1.1 -> 0.5 ms
  // natively). The outputs then share the inputs' memory, counted as Identity counts it. Only with
  // the native kernels: on wasm alone our BatchMatMul takes a weight whose tensor it has seen before
  // as reused and lets XNNPACK pack it, which for weights updated in place would repack every step.
  const inPlace = nativeKernelsStatus().active && updatableInPlace(wasm, [value, m, v, gradient]);
  if (inPlace) {
    adamRuns.inPlace++;
    forgetPackedCopies(wasm, value);
  }
  const outputs = inPlace
    ? [value, m, v].map((info) => {
        wasm.incRef(info.dataId);
        return { dataId: info.dataId, shape: [...info.shape], dtype: info.dtype };
      })
    : [value, m, v].map((info) => wasm.makeOutput(info.shape, 'float32'));
  const size = value.shape.reduce((a, b) => a * b, 1);
  const step = (-learningRate * Math.sqrt(correction2)) / correction1;
  const epsilonHat = epsilon * Math.sqrt(correction2);
  const offsets = [value, gradient, m, v, ...outputs].map((info) => heapOffset(wasm, info));
  if (nativeAdam(wasm, offsets, size, { beta1, beta2, step, epsilon: epsilonHat })) return outputs;
  const [w0, g, m0, v0, w1, m1, v1] = offsets as number[];
  simdKernels(wasm).adam(w0!, g!, m0!, v0!, w1!, m1!, v1!, size, beta1, beta2, step, epsilonHat);
  return outputs;
}

export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as tf.KernelFunc,
};
