import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '../tf.js';
import { heapF32 } from './kernel-calls.js';

/** A kernel of our own (no stock one exists): one Adam step for one variable, in one pass. */
export const ADAM_UPDATE = 'StageGraphAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t: the bias corrections of step t */
  correction1: number;
  correction2: number;
}

/** How often the kernel ran, so tests can tell that the fused update trained a model. */
export const adamUpdateRuns = { count: 0 };

/**
 * tfjs' Adam runs ~14 elementwise kernels per variable, each a pass over memory (on the seed CNN's
 * 3.3M weights, ~50 ms of a ~150 ms training step); this reads value, gradient and both moments
 * once and writes the three results once: tfjs' AdamOptimizer's formula, rearranged (below).
 */
function adamUpdate({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { value, gradient, m, v } = inputs as Record<'value' | 'gradient' | 'm' | 'v', tf.TensorInfo>;
  const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = attrs as unknown as AdamUpdateAttrs;
  for (const [name, info] of Object.entries({ value, gradient, m, v })) {
    if (info.dtype !== 'float32') throw new Error(`${ADAM_UPDATE}: ${name} must be float32, got ${info.dtype}`);
  }
  adamUpdateRuns.count++;
  const outputs = [value, m, v].map((info) => wasm.makeOutput(info.shape, 'float32'));
  // views after every allocation: an allocation can grow the heap and detach earlier views
  const [w0, g, m0, v0] = [value, gradient, m, v].map((info) => heapF32(wasm, info)) as Float32Array[];
  const [w1, m1, v1] = outputs.map((info) => heapF32(wasm, info)) as Float32Array[];
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  // (m / c1) / (sqrt(v / c2) + eps) = m * (sqrt(c2) / c1) / (sqrt(v) + eps * sqrt(c2)): one division
  // and one square root per weight instead of three divisions and a root
  const step = (-learningRate * Math.sqrt(correction2)) / correction1;
  const epsilonHat = epsilon * Math.sqrt(correction2);
  for (let i = 0; i < w0!.length; i++) {
    const gi = g![i]!;
    const mi = m0![i]! * beta1 + gi * oneMinusBeta1;
    const vi = v0![i]! * beta2 + gi * gi * oneMinusBeta2;
    m1![i] = mi;
    v1![i] = vi;
    w1![i] = (step * mi) / (Math.sqrt(vi) + epsilonHat) + w0![i]!;
  }
  return outputs;
}

export const adamUpdateConfig: tf.KernelConfig = { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate as unknown as tf.KernelFunc };
