import * as tf from '../tf.js';
import { nativeKernelsStatus } from '../wasm-kernels/native-kernels.js';
import { RELU_BIAS_GRAD } from '../wasm-kernels/ReluBiasGrad.js';

/** The activations a convolution or dense layer trains fused with its product. */
export type LayerActivation = 'relu' | 'linear';

export interface Conv2DGeometry {
  strides: [number, number];
  pad: 'same' | 'valid';
}

/**
 * Whether layers should train through these ops here: on wasm with the native kernels, where the
 * fused forward kernels and the one-pass backward are theirs (seed CNN step 19.6 -> 16.3 ms). On
 * wasm alone tfjs-layers' own path is faster (60 against 74 ms): its products go through our
 * BatchMatMul, which avoids XNNPACK repacking the new weights of every step; the fused one does not.
 */
export function layerFusionPays(): boolean {
  return (
    tf.getBackend() === 'wasm' && tf.getKernel(RELU_BIAS_GRAD, 'wasm') !== undefined && nativeKernelsStatus().active
  );
}

/**
 * dy through the activation, and the bias gradient: one kernel where the backend has ours (wasm),
 * else tfjs' own ops (the gradient tfjs' fused ops use: mul(dy, step(y)), then sum).
 */
function throughActivation(
  dy: tf.Tensor,
  y: tf.Tensor,
  activation: LayerActivation,
  withBias: boolean,
): { dyActivation: tf.Tensor; dBias?: tf.Tensor } {
  if (activation === 'relu' && withBias && tf.getKernel(RELU_BIAS_GRAD, tf.getBackend())) {
    const [dyActivation, dBias] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }) as tf.Tensor[];
    return { dyActivation: dyActivation!, dBias: dBias! };
  }
  const dyActivation = activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy;
  const axes = dy.shape.slice(0, -1).map((_, axis) => axis);
  return { dyActivation, dBias: withBias ? tf.sum(dyActivation, axes) : undefined };
}

type Gradients = Record<string, () => tf.Tensor>;
/** The engine's way to run an op with its own gradient: private in tfjs' types, public in effect (customGrad calls it). */
interface OpEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Gradients;
    inputs: tf.NamedTensorMap;
  }): tf.Tensor;
}

/**
 * An op with a hand-written gradient whose parts are computed only where the engine asks for them,
 * as for tfjs' own kernels. tf.customGrad computes every input's gradient: a network's first
 * convolution would compute the gradient of its input images (2.5 ms of the seed CNN's step).
 */
function opWithGradients(
  inputs: tf.NamedTensorMap,
  forward: (save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => Gradients,
): tf.Tensor {
  return (tf.engine() as unknown as OpEngine).runKernelFunc({
    forwardFunc: (_, save) => forward(save),
    backwardsFunc: backward,
    inputs,
  });
}

/**
 * A convolution (NHWC, dilation 1) with its bias and activation as one op while training: tfjs'
 * fused conv2d runs unfused whenever gradients are recorded and the activation is not linear
 * (Conv2D, Add, Relu forward; Step, Cast, Multiply, Sum back). Here the forward pass is one
 * FusedConv2D kernel (oneDNN with bias and relu as post-ops where the native kernels are loaded)
 * and the backward pass one StageGraphReluBiasGrad kernel before the convolution gradients: tfjs'
 * fused gradient, kept whole.
 */
export function conv2dBiasActivation(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  geometry: Conv2DGeometry,
  activation: LayerActivation,
): tf.Tensor4D {
  const { strides, pad } = geometry;
  const convAttrs = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1] };
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  const attrs = (more: object) => ({ ...convAttrs, ...more }) as unknown as tf.NamedAttrMap;
  return opWithGradients(
    inputs,
    (save) => {
      const y = tf.engine().runKernel('FusedConv2D', inputs, attrs({ activation })) as tf.Tensor4D;
      save([x, filter, y]);
      return y;
    },
    (dy, [xSaved, filterSaved, ySaved]) => {
      const { dyActivation, dBias } = throughActivation(dy, ySaved!, activation, bias !== null);
      return {
        x: () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: dyActivation, filter: filterSaved! },
              attrs({ inputShape: xSaved!.shape }),
            ),
        filter: () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: xSaved!, dy: dyActivation },
              attrs({ filterShape: filterSaved!.shape }),
            ),
        ...(dBias ? { bias: () => dBias } : {}),
      };
    },
  ) as tf.Tensor4D;
}

/**
 * x [rows, in] times kernel [in, out], plus bias, through the activation, as one op while training
 * (see conv2dBiasActivation): forward one _FusedMatMul kernel, backward one StageGraphReluBiasGrad
 * before the products.
 */
export function denseBiasActivation(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  activation: LayerActivation,
): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = bias ? { a: x, b: kernel, bias } : { a: x, b: kernel };
  return opWithGradients(
    inputs,
    (save) => {
      // the kernel takes batches of matrices (tfjs' fused.matMul reshapes to 3-D before it, as here)
      const attrs = { transposeA: false, transposeB: false, activation } as unknown as tf.NamedAttrMap;
      const batched = { ...inputs, a: tf.expandDims(x, 0), b: tf.expandDims(kernel, 0) };
      const product = tf.engine().runKernel('_FusedMatMul', batched, attrs) as tf.Tensor3D;
      const y = tf.reshape(product, [x.shape[0], kernel.shape[1]]) as tf.Tensor2D;
      save([x, kernel, y]);
      return y;
    },
    (dy, [xSaved, kernelSaved, ySaved]) => {
      const { dyActivation, dBias } = throughActivation(dy, ySaved!, activation, bias !== null);
      return {
        a: () => tf.matMul(dyActivation, kernelSaved!, false, true),
        b: () => tf.matMul(xSaved!, dyActivation, true, false),
        ...(dBias ? { bias: () => dBias } : {}),
      };
    },
  ) as tf.Tensor2D;
}
