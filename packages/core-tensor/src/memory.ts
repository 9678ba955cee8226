import * as tf from './tf.js';

/** Live tensors right now; tests compare it before and after a run to catch leaks. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/** A model's weights and its optimizer's state (model.dispose() keeps an optimizer it did not create). */
export function disposeModel(model: tf.LayersModel): void {
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  model.dispose();
  optimizer?.dispose();
}

/**
 * Runs model-building code in a tensor scope: temporaries that initializers leave behind (tfjs'
 * LSTM `unitForgetBias` leaves four per layer) are freed, while weights, being variables, survive.
 */
export function buildInScope<T>(build: () => T): T {
  tf.engine().startScope();
  try {
    return build();
  } finally {
    tf.engine().endScope();
  }
}
