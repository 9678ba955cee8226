import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { heapF32 } from './kernel-calls.js';

/**
 * The max-pool gradient as one pass over the wasm heap: each output's gradient goes to the first
 * maximum of its window (as TensorFlow does). The stock wasm kernel took ~58 ms for a
 * 32x28x28x32 input; this is a few milliseconds.
 */
function maxPoolGrad({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const out = wasm.makeOutput(input.shape, 'float32');
  // views after makeOutput: allocating may grow the heap and detach older views
  const x = heapF32(wasm, input);
  const gradient = heapF32(wasm, dy);
  const dx = heapF32(wasm, out);
  dx.fill(0);
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  // per output position: the best value and its index for every channel; channels innermost,
  // so the window is read contiguously
  const best = new Float32Array(inChannels);
  const at = new Int32Array(inChannels);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - padTop;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + fh);
      for (let ox = 0; ox < outWidth; ox++, o += inChannels) {
        const x0 = ox * strideWidth - padLeft;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + fw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let yy = yStart; yy < yEnd; yy++) {
          for (let xx = xStart; xx < xEnd; xx++) {
            const base = b * imageStride + yy * rowStride + xx * inChannels;
            for (let c = 0; c < inChannels; c++) {
              const v = x[base + c];
              if (v > best[c] || at[c] < 0) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < inChannels; c++) if (at[c] >= 0) dx[at[c]] += gradient[o + c];
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: tf.KernelConfig = { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad };
