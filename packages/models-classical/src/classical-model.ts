import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { CLASSIFIER_KINDS } from './classifier-kinds.js';
import type { ClassifierOptions } from './classifiers.js';

const pcaState = z.object({
  mean: z.array(z.number()),
  components: z.array(z.array(z.number())),
  /** Each component's standard deviation: projections are divided by it, so every feature has unit variance. */
  scale: z.array(z.number()),
  /** The share of the pixels' variance the components keep. */
  explainedVariance: z.number(),
});

/** A trained classical classifier as the cache and run folders keep it: plain JSON. */
export const CLASSICAL_MODEL = defineContract({
  name: 'classical model',
  kind: 'json',
  schema: z.object({
    format: z.literal('stagegraph-classical-model'),
    kind: z.enum(CLASSIFIER_KINDS),
    /** The options it was trained with (each kind reads its own). */
    options: z.custom<ClassifierOptions>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    ),
    /** The shape of one input sample (e.g. [28, 28, 1]) and how many classes the labels have. */
    inputShape: z.array(z.number()),
    classes: z.number(),
    /** Features are the PCA projection when set, else the flattened pixels. */
    pca: pcaState.optional(),
    /** The library's own serialized model. */
    trained: z.unknown(),
  }),
  expected: 'a classical model {format: "stagegraph-classical-model", kind, inputShape, trained}',
});
export type ClassicalModel = ContractValue<typeof CLASSICAL_MODEL>;
/** A fitted PCA: what `fitPca` returns and a classical model keeps. */
export type PcaState = NonNullable<ClassicalModel['pca']>;
