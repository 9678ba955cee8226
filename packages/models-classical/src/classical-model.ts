import { defineContract } from '@stagegraph/pipeline';
import type { ClassifierKind, ClassifierOptions } from './classifiers.js';
import type { PcaState } from './pca.js';

/** A trained classical classifier as the cache and run folders keep it: plain JSON. */
export interface ClassicalModel {
  format: 'stagegraph-classical-model';
  kind: ClassifierKind;
  options: ClassifierOptions;
  /** The shape of one input sample (e.g. [28, 28, 1]) and how many classes the labels have. */
  inputShape: number[];
  classes: number;
  /** Features are the PCA projection when set, else the flattened pixels. */
  pca?: PcaState;
  /** The library's own serialized model. */
  trained: unknown;
}

export const CLASSICAL_MODEL = defineContract({
  name: 'classical model',
  kind: 'json',
  check: (value) => {
    const v = value as Partial<ClassicalModel> | null;
    return v?.format === 'stagegraph-classical-model' && typeof v.kind === 'string' && Array.isArray(v.inputShape)
      ? undefined
      : `expected a classical model {format: "stagegraph-classical-model", kind, inputShape, trained}, got ${v === null ? 'null' : typeof v}`;
  },
});
