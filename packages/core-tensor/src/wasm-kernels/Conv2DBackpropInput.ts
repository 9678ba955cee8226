import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { callKernel, release, rememberStockKernel, slice, transpose } from './kernel-calls.js';
import { nativeConv2DBackpropInput } from './native-kernels.js';

/**
 * The input gradient of a stride-1 convolution is the "full" convolution of dy with the filter
 * rotated by 180 degrees and its channel axes swapped. As one XNNPACK conv2d it runs ~8x faster
 * than the stock wasm kernel. Other strides use the stock kernel.
 */
/** How often each path ran, so tests can tell the fast path ran and not the stock kernel. */
export const conv2DBackpropInputRuns = { fast: 0, stock: 0 };

function conv2DBackpropInput({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const stock = rememberStockKernel('Conv2DBackpropInput');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  // the native path where dy is exactly the forward's output (conv2dTranspose may ask otherwise)
  const native =
    dataFormat !== 'NCHW' && tf.util.arraysEqual(dy.shape, info.outShape)
      ? nativeConv2DBackpropInput(wasm, dy, filter, info)
      : undefined;
  if (native) return native;
  if (dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1) {
    conv2DBackpropInputRuns.stock++;
    return stock({ inputs, attrs, backend: backend as object }) as tf.TensorInfo;
  }
  // dx[i] = sum_k dy[i + top - k] w[k] over the forward output [0, outHeight) that inputShape gives
  // (as the cpu backend reads it: a dy larger than that is cropped to its top-left part, a smaller
  // one counts as zeros). As a correlation of dy with the rotated filter that is a padding of
  // kh - 1 - top before and inHeight - outHeight + top after; a negative pad crops dy instead.
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const [, inH, inW] = inputShape;
  const usedH = Math.min(dy.shape[1], info.outHeight);
  const usedW = Math.min(dy.shape[2], info.outWidth);
  const pads = [
    [kh - 1 - info.padInfo.top, inH - usedH + info.padInfo.top],
    [kw - 1 - info.padInfo.left, inW - usedW + info.padInfo.left],
  ];
  const begin = [0, Math.max(0, -pads[0][0]), Math.max(0, -pads[1][0]), 0];
  const size = [
    dy.shape[0],
    usedH - begin[1] - Math.max(0, -pads[0][1]),
    usedW - begin[2] - Math.max(0, -pads[1][1]),
    dy.shape[3],
  ];
  if (size[1] <= 0 || size[2] <= 0) {
    conv2DBackpropInputRuns.stock++;
    return stock({ inputs, attrs, backend: backend as object }) as tf.TensorInfo;
  }
  const cropped =
    size[1] !== dy.shape[1] || size[2] !== dy.shape[2] || begin[1] || begin[2] ? slice(dy, begin, size, wasm) : dy;
  const rotated = callKernel('Reverse', { x: filter }, { dims: [0, 1] }, wasm);
  const swapped = transpose(rotated, [0, 1, 3, 2], wasm); // [kh, kw, co, ci]
  const dx = callKernel(
    'Conv2D',
    { x: cropped, filter: swapped },
    {
      strides: [1, 1],
      pad: [[0, 0], ...pads.map(([before, after]) => [Math.max(0, before), Math.max(0, after)]), [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    },
    wasm,
  );
  release(wasm, rotated, swapped, ...(cropped !== dy ? [cropped] : []));
  conv2DBackpropInputRuns.fast++;
  return dx;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
