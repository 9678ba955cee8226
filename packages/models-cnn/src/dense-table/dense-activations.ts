/** The hidden layers' activations a dense network for tables takes (light: the stage definition imports it). */
export const DENSE_ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];
