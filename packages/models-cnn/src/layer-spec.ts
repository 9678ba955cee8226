import { z } from 'zod';

/** One layer of a classifier, as a config writes it; Keras names and defaults. */
export const layerSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('conv2d'),
    filters: z.number().int().min(1),
    kernelSize: z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]),
    strides: z.number().int().min(1).default(1),
    padding: z.enum(['same', 'valid']).default('same'),
    activation: z.enum(['relu', 'linear', 'tanh', 'sigmoid', 'elu', 'selu']).default('relu'),
  }),
  z.strictObject({
    type: z.literal('maxPooling2d'),
    poolSize: z.number().int().min(1).default(2),
    strides: z.number().int().min(1).optional(),
    padding: z.enum(['same', 'valid']).default('valid'),
  }),
  z.strictObject({ type: z.literal('flatten') }),
  z.strictObject({
    type: z.literal('dense'),
    units: z
      .union([z.number().int().min(1), z.literal('classes')])
      .describe('a number, or "classes": as many as the labels have classes (the last layer of any dataset)'),
    activation: z.enum(['relu', 'linear', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu']).default('relu'),
  }),
  z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
  z.strictObject({ type: z.literal('batchNormalization') }),
]);

export type LayerSpec = z.infer<typeof layerSpecSchema>;

/**
 * The origin network: conv32 5x5 same relu, maxpool, conv64 5x5 same relu, maxpool, flatten,
 * dense1024 relu, dense10 softmax (3,274,634 parameters on 28x28x1).
 */
export const ORIGIN_MNIST_LAYERS: LayerSpec[] = [
  { type: 'conv2d', filters: 32, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
  { type: 'conv2d', filters: 64, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
  { type: 'flatten' },
  { type: 'dense', units: 1024, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
];
