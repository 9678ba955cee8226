export { buildClassifier, type ClassifierOptions } from './build-classifier.js';
export { layerSpecSchema, ORIGIN_MNIST_LAYERS, type LayerSpec } from './layer-spec.js';
