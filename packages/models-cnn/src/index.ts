import { classifyStage } from './stages/classify.stage.js';
import { predictClassesStage } from './stages/predict.stage.js';
import { trainClassifierStage } from './stages/train.stage.js';

export { buildClassifier, type ClassifierOptions } from './build-classifier.js';
export { layerSpecSchema, ORIGIN_MNIST_LAYERS, type LayerSpec } from './layer-spec.js';
export { assertFiniteWeights, assertImageClassifier, classifyImages, type FileClassification } from './stages/classify.stage.js';
export { classifyStage, predictClassesStage, trainClassifierStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainClassifierStage, predictClassesStage, classifyStage];
