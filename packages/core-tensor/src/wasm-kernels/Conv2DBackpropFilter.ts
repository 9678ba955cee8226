import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { callKernel, release, slice, transpose } from './kernel-calls.js';

/**
 * The filter gradient, which the wasm backend lacks, as one forward conv2d (XNNPACK):
 * dW[i,j,ci,co] = sum over b,p,q of x[b, p*s+i-top, q*s+j-left, ci] * dy[b,p,q,co]
 * is a convolution of x laid out [ci, H, W, b] (input channels as batch, batch as channels) with
 * dy laid out [oh, ow, b, co] as the filter, dilated by the stride.
 */
function conv2DBackpropFilter({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
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
  const [kh, kw, ci, co] = filterShape;
  const exact = conv.shape[1] === kh && conv.shape[2] === kw ? conv : slice(conv, [0, 0, 0, 0], [ci, kh, kw, co], wasm);
  const dW = transpose(exact, [1, 2, 0, 3], wasm);
  release(wasm, xT, dyT, conv);
  if (exact !== conv) release(wasm, exact);
  return dW;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter };
