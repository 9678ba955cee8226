import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { callKernel, heapF32, release, slice, transpose } from './kernel-calls.js';
import { nativeConv2DBackpropFilter } from './native-kernels.js';

/** How often each path ran, so tests can tell which one computed a gradient. */
export const conv2DBackpropFilterRuns = { convolution: 0, patches: 0 };

/** Largest patch matrix (floats) the patches path builds: 64 MB. */
const MAX_PATCH_FLOATS = 16 * 1024 * 1024;

/**
 * The filter gradient, which the wasm backend lacks:
 * dW[i,j,ci,co] = sum over b,p,q of x[b, p*s+i-top, q*s+j-left, ci] * dy[b,p,q,co].
 * - Usually as one forward conv2d (XNNPACK): a convolution of x laid out [ci, H, W, b] (input
 *   channels as batch, batch as channels) with dy laid out [oh, ow, b, co] as the filter, dilated
 *   by the stride.
 * - With few input channels (a first layer on grey or RGB images) that convolution has a batch of
 *   ci and a 28x28 filter, which XNNPACK runs slowly; then the patches of x are laid out as a
 *   matrix P^T [kh*kw*ci, b*oh*ow] and dW = P^T dy is one matrix product. Measured on the seed
 *   CNN's first layer (32x28x28x1, 5x5x1x32): 3.0 ms against 6.7-8.1; break-even at 4 channels.
 */
function conv2DBackpropFilter({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const native = tf.util.arraysEqual(dy.shape, info.outShape)
    ? nativeConv2DBackpropFilter(wasm, x, dy, info)
    : undefined;
  if (native) return native;
  const [kh, kw, ci] = filterShape;
  if (ci <= 3 && kh * kw * ci * info.batchSize * info.outHeight * info.outWidth <= MAX_PATCH_FLOATS)
    return byPatches(x, dy, info, wasm);
  conv2DBackpropFilterRuns.convolution++;
  const { top, bottom, left, right } = info.padInfo;
  const xT = transpose(x, [3, 1, 2, 0], wasm); // [ci, H, W, b]
  const dyT = transpose(dy, [1, 2, 0, 3], wasm); // [oh, ow, b, co]
  const conv = callKernel(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined,
    },
    wasm,
  ); // [ci, >=kh, >=kw, co]: strides that do not divide evenly leave extra rows to drop
  const co = filterShape[3];
  const exact = conv.shape[1] === kh && conv.shape[2] === kw ? conv : slice(conv, [0, 0, 0, 0], [ci, kh, kw, co], wasm);
  const dW = transpose(exact, [1, 2, 0, 3], wasm);
  release(wasm, xT, dyT, conv);
  if (exact !== conv) release(wasm, exact);
  return dW;
}

/** dW = P^T dy, with P^T [kh*kw*ci, b*oh*ow] built from x in one pass (zeros where the window hangs over the padding). */
function byPatches(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  wasm: BackendWasm,
): tf.TensorInfo {
  conv2DBackpropFilterRuns.patches++;
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    strideHeight,
    strideWidth,
    filterHeight,
    filterWidth,
  } = info;
  const { top, left } = info.padInfo;
  const columns = batchSize * outHeight * outWidth;
  const patchesT = wasm.makeOutput([filterHeight * filterWidth * inChannels, columns], 'float32');
  // views after the allocation: it may grow the heap and detach older views
  const source = heapF32(wasm, x);
  const target = heapF32(wasm, patchesT);
  let row = 0;
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      for (let c = 0; c < inChannels; c++, row++) {
        let at = row * columns;
        for (let b = 0; b < batchSize; b++) {
          for (let p = 0; p < outHeight; p++) {
            const y = p * strideHeight + i - top;
            const rowStart = (b * inHeight + y) * inWidth * inChannels + c;
            const inside = y >= 0 && y < inHeight;
            for (let q = 0; q < outWidth; q++, at++) {
              const xx = q * strideWidth + j - left;
              target[at] = inside && xx >= 0 && xx < inWidth ? source[rowStart + xx * inChannels]! : 0;
            }
          }
        }
      }
    }
  }
  // dy as the [b*oh*ow, co] matrix it already is in memory
  const dyMatrix: tf.TensorInfo = { dataId: dy.dataId, shape: [columns, outChannels], dtype: dy.dtype };
  const dW = callKernel('BatchMatMul', { a: patchesT, b: dyMatrix }, { transposeA: false, transposeB: false }, wasm);
  release(wasm, patchesT);
  const reshaped: tf.TensorInfo = {
    dataId: dW.dataId,
    shape: [filterHeight, filterWidth, inChannels, outChannels],
    dtype: dW.dtype,
  };
  return reshaped;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
