import type * as tf from './tf.js';

/** A model's weights and its optimizer's state (model.dispose() keeps an optimizer it did not create). */
export function disposeModel(model: tf.LayersModel): void {
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  model.dispose();
  optimizer?.dispose();
}
