import {
  conv2dBiasActivation,
  denseBiasActivation,
  layerFusionPays,
  type LayerActivation,
} from './ops/layer-bias-activation.js';
import * as tf from './tf.js';

// tfjs-layers' Conv2D and Dense classes (not exported by name): ours extend them, so they keep their
// config, weights and class names, and a saved model loads anywhere as standard layers.
type LayerClass<A> = new (args: A) => tf.layers.Layer;
const StockConv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as LayerClass<
  Parameters<typeof tf.layers.conv2d>[0]
>;
const StockDense = Object.getPrototypeOf(tf.layers.dense({ units: 1 })).constructor as LayerClass<
  Parameters<typeof tf.layers.dense>[0]
>;

/** What tfjs-layers' Conv2D and Dense keep, which the fused calls read. */
interface LayerInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
}
interface ConvInternals extends LayerInternals {
  rank: number;
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
}

const FUSED_ACTIVATIONS: Record<string, LayerActivation> = { relu: 'relu', linear: 'linear' };

/** The one float32 input of a call, or undefined where there are several. */
function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | undefined {
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
  return x?.dtype === 'float32' ? x : undefined;
}

/**
 * tfjs' Conv2D, trained with its bias and activation fused into its convolution
 * (conv2dBiasActivation) where that pays (layerFusionPays: wasm with the native kernels) and it
 * can: relu or linear, NHWC, dilation 1, 'same' or 'valid' padding, a 4-D float32 input.
 * tfjs-layers' own call otherwise.
 */
export class FusedConv2D extends StockConv2D {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as ConvInternals;
    const x = singleInput(inputs);
    const activation = FUSED_ACTIVATIONS[self.activation.getClassName().toLowerCase()];
    const pad = self.padding === 'same' || self.padding === 'valid' ? self.padding : undefined;
    if (
      !layerFusionPays() ||
      !x ||
      x.rank !== 4 ||
      !activation ||
      !pad ||
      self.rank !== 2 ||
      self.dataFormat !== 'channelsLast' ||
      self.dilationRate.some((d) => d !== 1)
    )
      return super.call(inputs, kwargs);
    return tf.tidy(() =>
      conv2dBiasActivation(
        x as tf.Tensor4D,
        self.kernel.read() as tf.Tensor4D,
        (self.bias?.read() as tf.Tensor1D | undefined) ?? null,
        { strides: self.strides, pad },
        activation,
      ),
    );
  }
}

/**
 * tfjs' Dense, trained with its bias and activation fused into its product (denseBiasActivation)
 * where that pays (layerFusionPays) and it can: relu or linear, a 2-D float32 input. tfjs-layers'
 * own call otherwise.
 */
export class FusedDense extends StockDense {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as LayerInternals;
    const x = singleInput(inputs);
    const activation = FUSED_ACTIVATIONS[self.activation.getClassName().toLowerCase()];
    if (!layerFusionPays() || !x || x.rank !== 2 || !activation) return super.call(inputs, kwargs);
    self.invokeCallHook(inputs, kwargs);
    return tf.tidy(() =>
      denseBiasActivation(
        x as tf.Tensor2D,
        self.kernel.read() as tf.Tensor2D,
        (self.bias?.read() as tf.Tensor1D | undefined) ?? null,
        activation,
      ),
    );
  }
}

// Registered under the stock class names, as models-lstm's FusedGru under GRU's: a model loaded in
// this process trains as fast as the one that was saved. Saved models still say "Conv2D" and "Dense".
for (const layer of [FusedConv2D, FusedDense])
  tf.serialization.registerClass(
    layer as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
