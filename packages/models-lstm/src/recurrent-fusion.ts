import type { tf } from '@stagegraph/core-tensor';

/** What a tfjs-layers RNN (LSTM, GRU) keeps, which its fused call reads. */
export interface RecurrentInternals {
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

export type FusableActivation = 'relu' | 'tanh' | 'linear';
const FUSABLE_ACTIVATIONS: Record<string, FusableActivation> = { relu: 'relu', tanh: 'tanh', linear: 'linear' };

/**
 * The cell activation a recurrent layer's call can run with as one fused op, or undefined where
 * its configuration needs tfjs-layers' step-by-step path: the fused ops give the last state only,
 * with sigmoid gates, a bias, no dropout, no mask or initial state, one 3-D input.
 */
export function fusableActivation(
  layer: RecurrentInternals,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
): FusableActivation | undefined {
  const { cell } = layer;
  const activation = FUSABLE_ACTIVATIONS[cell.activation.getClassName().toLowerCase()];
  const fusable =
    cell.bias &&
    cell.recurrentActivation.getClassName().toLowerCase() === 'sigmoid' &&
    !layer.returnSequences &&
    !layer.returnState &&
    !layer.goBackwards &&
    !layer.stateful &&
    !(cell.dropout > 0) &&
    !(cell.recurrentDropout > 0) &&
    kwargs.mask == null &&
    kwargs.initialState == null &&
    (!Array.isArray(inputs) || inputs.length === 1) &&
    (Array.isArray(inputs) ? inputs[0]! : inputs).rank === 3;
  return fusable ? activation : undefined;
}
