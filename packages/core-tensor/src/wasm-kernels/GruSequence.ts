import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '../tf.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/**
 * Kernels of our own (tfjs has none): tfjs' GRU over a whole sequence, forward and backward, each
 * one call into ../../simd/gru.c: the input projection, the recurrence and, backward, every gradient.
 */
export const GRU_FORWARD = 'StageGraphGruForward';
export const GRU_BACKWARD = 'StageGraphGruBackward';

export interface GruSequenceAttrs {
  activation: 'relu' | 'tanh' | 'linear';
}

const ACTIVATION_CODES = { relu: 0, tanh: 1, linear: 2 }; // recurrent.h's enum

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

const activationCode = (attrs: tf.NamedAttrMap | undefined) =>
  ACTIVATION_CODES[(attrs as unknown as GruSequenceAttrs).activation];

/** x [B, T, F], kernel [F, 3H], bias [3H], recurrentKernel [H, 3H] -> gates [T*B, 3H], hPrev [T*B*H], last [B, H]. */
function gruForward({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { x, kernel, bias, recurrentKernel } = inputs as Record<
    'x' | 'kernel' | 'bias' | 'recurrentKernel',
    tf.TensorInfo
  >;
  const [batch, steps, features] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0]!;
  const outputs = [
    wasm.makeOutput([steps * batch, 3 * units], 'float32'), // gates
    wasm.makeOutput([steps * batch * units], 'float32'), // hPrev
    wasm.makeOutput([batch, units], 'float32'), // last
  ];
  const [xAt, w, b, u, gates, hPrev, last] = [x, kernel, bias, recurrentKernel, ...outputs].map((info) =>
    heapOffset(wasm, info),
  ) as number[];
  simdKernels(wasm).gru_forward(
    xAt!,
    w!,
    b!,
    u!,
    gates!,
    hPrev!,
    last!,
    steps,
    batch,
    features,
    units,
    activationCode(attrs),
  );
  return outputs;
}

/** dy [B, H], the inputs and gruForward's gates, hPrev -> dx [B, T, F], dKernel [F, 3H], dRecurrentKernel [H, 3H], dBias [3H]. */
function gruBackward({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const named = inputs as Record<'dy' | 'x' | 'kernel' | 'recurrentKernel' | 'gates' | 'hPrev', tf.TensorInfo>;
  const [batch, steps, features] = named.x.shape as [number, number, number];
  const units = named.recurrentKernel.shape[0]!;
  const outputs = [named.x.shape, named.kernel.shape, named.recurrentKernel.shape, [3 * units]].map((shape) =>
    wasm.makeOutput(shape, 'float32'),
  );
  const scratch = wasm.makeOutput([6 * batch * units], 'float32'); // gru.c's per-step gradients
  const [dy, x, w, u, gates, hPrev, dx, dw, du, db, scratchAt] = [
    named.dy,
    named.x,
    named.kernel,
    named.recurrentKernel,
    named.gates,
    named.hPrev,
    ...outputs,
    scratch,
  ].map((info) => heapOffset(wasm, info)) as number[];
  simdKernels(wasm).gru_backward(
    dy!,
    x!,
    w!,
    u!,
    gates!,
    hPrev!,
    dx!,
    dw!,
    du!,
    db!,
    scratchAt!,
    steps,
    batch,
    features,
    units,
    activationCode(attrs),
  );
  wasm.disposeData(scratch.dataId);
  return outputs;
}

export const gruForwardConfig: tf.KernelConfig = {
  kernelName: GRU_FORWARD,
  backendName: 'wasm',
  kernelFunc: gruForward as unknown as tf.KernelFunc,
};
export const gruBackwardConfig: tf.KernelConfig = {
  kernelName: GRU_BACKWARD,
  backendName: 'wasm',
  kernelFunc: gruBackward as unknown as tf.KernelFunc,
};
