import { gruLastState, gruSequenceRuns, tf } from '@stagegraph/core-tensor';
import { fusableActivation, type RecurrentInternals } from './recurrent-fusion.js';

// The tfjs-layers GRU class (not exported by name): our layer extends it, so it keeps GRU's
// config, weights and class name, and a saved model loads anywhere as a standard GRU.
const StockGru = Object.getPrototypeOf(tf.layers.gru({ units: 1 })).constructor as new (
  args: Parameters<typeof tf.layers.gru>[0],
) => tf.layers.Layer;

/**
 * tfjs' GRU, run as one fused op (`gruLastState`: one kernel call forward, one backward) where its
 * configuration allows (fusableActivation) and the backend has the kernels (wasm), and by
 * tfjs-layers' step-by-step implementation otherwise.
 */
export class FusedGru extends StockGru {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as RecurrentInternals;
    const activation = fusableActivation(self, inputs, kwargs);
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const { cell } = self;
    if (!activation || !gruSequenceRuns(x, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias!.read()))
      return super.call(inputs, kwargs);
    return tf.tidy(() =>
      gruLastState(
        x,
        cell.kernel.read() as tf.Tensor2D,
        cell.recurrentKernel.read() as tf.Tensor2D,
        cell.bias!.read() as tf.Tensor1D,
        activation,
      ),
    );
  }
}

// Registered under GRU's own class name, as FusedLstm under LSTM's: a GRU loaded in this process runs
// the same ops as the model that was trained. Saved models still say "GRU".
tf.serialization.registerClass(
  FusedGru as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
