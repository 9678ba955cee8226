import { lstmLastState, tf } from '@stagegraph/core-tensor';
import { fusableActivation, type RecurrentInternals } from './recurrent-fusion.js';

// The tfjs-layers LSTM class (not exported by name): our layer extends it, so it keeps LSTM's
// config, weights and class name, and a saved model loads anywhere as a standard LSTM.
const StockLstm = Object.getPrototypeOf(tf.layers.lstm({ units: 1 })).constructor as new (
  args: Parameters<typeof tf.layers.lstm>[0],
) => tf.layers.Layer;

/**
 * A Keras LSTM that runs as one fused op (`lstmLastState`) whenever its configuration allows
 * (fusableActivation), on every backend, and falls back to tfjs-layers' step-by-step
 * implementation otherwise.
 */
export class FusedLstm extends StockLstm {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as RecurrentInternals;
    const activation = fusableActivation(self, inputs, kwargs);
    if (!activation) return super.call(inputs, kwargs);
    const { cell } = self;
    return tf.tidy(() =>
      lstmLastState(
        (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D,
        cell.kernel.read() as tf.Tensor2D,
        cell.recurrentKernel.read() as tf.Tensor2D,
        cell.bias!.read() as tf.Tensor1D,
        activation,
      ),
    );
  }
}

// Registered under LSTM's own class name, so an LSTM loaded in this process (a cached model, a model on
// a queue worker) is a FusedLstm too: the same op order as the model that was trained, so its
// predictions match the in-memory model's to the last bit. Saved models still say "LSTM".
tf.serialization.registerClass(
  FusedLstm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
