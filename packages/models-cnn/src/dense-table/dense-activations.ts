/** The hidden layers' activations: a module of its own, so the stage definition names them without loading TensorFlow.js. */
export const DENSE_ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];
