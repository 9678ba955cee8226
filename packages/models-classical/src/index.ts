import { predictClassicalStage } from './stages/predict.stage.js';
import { trainClassicalStage } from './stages/train.stage.js';

export { CLASSICAL_MODEL, type ClassicalModel } from './classical-model.js';
export { CLASSIFIER_KINDS, classifiers, type Classifier, type ClassifierKind, type ClassifierOptions } from './classifiers.js';
export { featureRows } from './features.js';
export { fitPca, projectPca, type PcaState } from './pca.js';
export { predictClassicalStage, trainClassicalStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainClassicalStage, predictClassicalStage];
