import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { poolInfo, rememberStockKernel } from './kernel-calls.js';
import { nativeActivation, nativeConv2D, nativeMatMul, nativeMaxPool } from './native-kernels.js';
import { smallMatMul } from './small-matmul.js';

/**
 * The forward convolutions and the fused matrix product (a dense layer with its bias and
 * activation) on the native kernels where they are loaded and the case is theirs (float32, NHWC, a
 * bias per output channel, linear or relu); a small fused product in our SIMD module; otherwise
 * tfjs' own wasm kernel, unchanged.
 */
type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

function conv2dInfo(x: tf.TensorInfo, filter: tf.TensorInfo, attrs: tf.Conv2DAttrs): tf.backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
}

function conv2D(args: KernelArgs): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const native = nativeConv2D(
    args.backend as BackendWasm,
    x,
    filter,
    conv2dInfo(x, filter, args.attrs as unknown as tf.Conv2DAttrs),
  );
  return native ?? (rememberStockKernel('Conv2D')(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo);
}

function fusedConv2D(args: KernelArgs): tf.TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
  const relu = nativeActivation(attrs.activation);
  const native =
    relu !== undefined && !preluActivationWeights
      ? nativeConv2D(args.backend as BackendWasm, x!, filter!, conv2dInfo(x!, filter!, attrs), bias, relu)
      : undefined;
  return native ?? (rememberStockKernel('FusedConv2D')(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo);
}

function fusedMatMul(args: KernelArgs): tf.TensorInfo {
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const relu = nativeActivation(attrs.activation);
  const wasm = args.backend as BackendWasm;
  const ours = relu !== undefined && !preluActivationWeights;
  const direct = ours
    ? (smallMatMul(wasm, a!, b!, attrs.transposeA, attrs.transposeB, bias, relu) ??
      nativeMatMul(wasm, a!, b!, attrs.transposeA, attrs.transposeB, bias, relu))
    : undefined;
  return direct ?? (rememberStockKernel('_FusedMatMul')(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo);
}

function maxPool(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const info = poolInfo(x.shape, args.attrs as unknown as tf.MaxPoolAttrs);
  const native = nativeMaxPool(args.backend as BackendWasm, x, info);
  return native ?? (rememberStockKernel('MaxPool')(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo);
}

const config = (kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: kernelFunc as unknown as tf.KernelFunc,
});

export const nativeForwardConfigs: tf.KernelConfig[] = [
  config('Conv2D', conv2D),
  config('FusedConv2D', fusedConv2D),
  config('_FusedMatMul', fusedMatMul),
  config('MaxPool', maxPool),
];
