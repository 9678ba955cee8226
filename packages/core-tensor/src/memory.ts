import { disposeModel } from './dispose-model.js';
import * as tf from './tf.js';

export { disposeModel };

/** Live tensors right now; tests compare it before and after a run to catch leaks. */
export function tensorCount(): number {
  return tf.memory().numTensors;
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
