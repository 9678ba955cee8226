import { lstmLastState, tf, type LstmActivation } from '@stagegraph/core-tensor';

// The tfjs-layers LSTM class (not exported by name): our layer extends it, so it keeps LSTM's
// config, weights and class name, and a saved model loads anywhere as a standard LSTM.
const StockLstm = Object.getPrototypeOf(tf.layers.lstm({ units: 1 })).constructor as new (
  args: Parameters<typeof tf.layers.lstm>[0],
) => tf.layers.Layer;

interface LstmInternals {
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  cell: {
    kernel: { read(): tf.Tensor };
    recurrentKernel: { read(): tf.Tensor };
    bias: { read(): tf.Tensor } | null;
    activation: { getClassName(): string };
    recurrentActivation: { getClassName(): string };
    dropout: number;
    recurrentDropout: number;
  };
}

const FUSABLE_ACTIVATIONS: Record<string, LstmActivation> = { relu: 'relu', tanh: 'tanh', linear: 'linear' };

/**
 * A Keras LSTM that runs as one fused op (`lstmLastState`) whenever its configuration allows
 * (last state only, sigmoid gates, bias, no dropout, no mask or initial state), on every backend,
 * and falls back to tfjs-layers' step-by-step implementation otherwise.
 */
export class FusedLstm extends StockLstm {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as LstmInternals;
    const { cell } = self;
    const activation = FUSABLE_ACTIVATIONS[cell.activation.getClassName().toLowerCase()];
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const fusable =
      activation &&
      cell.bias &&
      cell.recurrentActivation.getClassName().toLowerCase() === 'sigmoid' &&
      !self.returnSequences &&
      !self.returnState &&
      !self.goBackwards &&
      !self.stateful &&
      !(cell.dropout > 0) &&
      !(cell.recurrentDropout > 0) &&
      kwargs.mask == null &&
      kwargs.initialState == null &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      x.rank === 3;
    if (!fusable) return super.call(inputs, kwargs);
    return tf.tidy(() =>
      lstmLastState(
        x as tf.Tensor3D,
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
