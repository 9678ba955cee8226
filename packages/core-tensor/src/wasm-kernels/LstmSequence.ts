import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '../tf.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

/**
 * Kernels of our own (tfjs has none): the LSTM over a whole sequence, forward and backward, each
 * one call into ../../simd/lstm.c: the input projection, the recurrence and, backward, every gradient.
 */
export const LSTM_FORWARD = 'StageGraphLstmForward';
export const LSTM_BACKWARD = 'StageGraphLstmBackward';

export interface LstmSequenceAttrs {
  activation: 'relu' | 'tanh' | 'linear';
}

const ACTIVATION_CODES = { relu: 0, tanh: 1, linear: 2 }; // lstm.c's enum

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

/** x [B, T, F], kernel [F, 4H], bias [4H], recurrentKernel [H, 4H] -> gates [T*B, 4H], cells [(T+1)*B*H], hPrev [T*B*H], last [B, H]. */
function lstmForward({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { x, kernel, bias, recurrentKernel } = inputs as Record<
    'x' | 'kernel' | 'bias' | 'recurrentKernel',
    tf.TensorInfo
  >;
  const [batch, steps, features] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0]!;
  const outputs = [
    wasm.makeOutput([steps * batch, 4 * units], 'float32'), // gates
    wasm.makeOutput([(steps + 1) * batch * units], 'float32'), // cells
    wasm.makeOutput([steps * batch * units], 'float32'), // hPrev
    wasm.makeOutput([batch, units], 'float32'), // last
  ];
  const [xAt, w, b, u, gates, cells, hPrev, last] = [x, kernel, bias, recurrentKernel, ...outputs].map((info) =>
    heapOffset(wasm, info),
  ) as number[];
  const activation = ACTIVATION_CODES[(attrs as unknown as LstmSequenceAttrs).activation];
  simdKernels(wasm).lstm_forward(
    xAt!,
    w!,
    b!,
    u!,
    gates!,
    cells!,
    hPrev!,
    last!,
    steps,
    batch,
    features,
    units,
    activation,
  );
  return outputs;
}

/** dy [B, H], the inputs and lstmForward's gates, cells, hPrev -> dx [B, T, F], dKernel [F, 4H], dRecurrentKernel [H, 4H], dBias [4H]. */
function lstmBackward({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const named = inputs as Record<
    'dy' | 'x' | 'kernel' | 'recurrentKernel' | 'gates' | 'cells' | 'hPrev',
    tf.TensorInfo
  >;
  const [batch, steps, features] = named.x.shape as [number, number, number];
  const units = named.recurrentKernel.shape[0]!;
  const outputs = [named.x.shape, named.kernel.shape, named.recurrentKernel.shape, [4 * units]].map((shape) =>
    wasm.makeOutput(shape, 'float32'),
  );
  const scratch = [batch * 4 * units, batch * units, batch * units].map((size) => wasm.makeOutput([size], 'float32')); // dz, dh, dc
  const offsets = [
    named.dy,
    named.x,
    named.kernel,
    named.recurrentKernel,
    named.gates,
    named.cells,
    named.hPrev,
    ...outputs,
    ...scratch,
  ].map((info) => heapOffset(wasm, info));
  const activation = ACTIVATION_CODES[(attrs as unknown as LstmSequenceAttrs).activation];
  const [dy, x, w, u, gates, cells, hPrev, dx, dw, du, db, dz, dh, dc] = offsets as number[];
  simdKernels(wasm).lstm_backward(
    dy!,
    x!,
    w!,
    u!,
    gates!,
    cells!,
    hPrev!,
    dx!,
    dw!,
    du!,
    db!,
    dz!,
    dh!,
    dc!,
    steps,
    batch,
    features,
    units,
    activation,
  );
  for (const info of scratch) wasm.disposeData(info.dataId);
  return outputs;
}

export const lstmForwardConfig: tf.KernelConfig = {
  kernelName: LSTM_FORWARD,
  backendName: 'wasm',
  kernelFunc: lstmForward as unknown as tf.KernelFunc,
};
export const lstmBackwardConfig: tf.KernelConfig = {
  kernelName: LSTM_BACKWARD,
  backendName: 'wasm',
  kernelFunc: lstmBackward as unknown as tf.KernelFunc,
};
