export { CLASSICAL_MODEL, type ClassicalModel } from './classical-model.js';
export {
  CLASSIFIER_KINDS,
  classifiers,
  type Classifier,
  type ClassifierKind,
  type ClassifierOptions,
} from './classifiers.js';
export { featureRows } from './features.js';
export { fitPca, projectPca, type PcaState } from './pca.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/models-classical/stages' has them alone.
export { predictClassicalStage, stages, trainClassicalStage } from './stages.js';
