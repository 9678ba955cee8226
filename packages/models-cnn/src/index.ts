export { buildClassifier, type ClassifierOptions } from './build-classifier.js';
export { layerSpecSchema, ORIGIN_MNIST_LAYERS, type LayerSpec } from './layer-spec.js';
export {
  assertFiniteWeights,
  assertImageClassifier,
  classifyImages,
  type FileClassification,
} from './classify-images.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/models-cnn/stages' has them alone.
export { buildDenseTable, type DenseTableOptions } from './dense-table/build-dense-table.js';
export { DENSE_ACTIVATIONS, type DenseActivation } from './dense-table/dense-activations.js';
export { fitTableBatches, type TableFitOptions } from './dense-table/fit-table-batches.js';
export { predictRows } from './dense-table/row-batches.js';
export { classifyStage, denseTableStage, predictClassesStage, stages, trainClassifierStage } from './stages.js';
