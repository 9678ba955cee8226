// '@stagegraph/preprocess/tensors': the stages and helpers that make tfjs tensors. Importing it
// needs @stagegraph/core-tensor (an optional peer dependency of this package) and TensorFlow.js.
export { digitImagesToTensor, imagesToTensor } from './digit-tensor.js';
export { readImageSplit, readMnist, type ImageSplit } from './mnist-dataset.js';
// The stages that make tensors (a plugin's `stages` export); '@stagegraph/preprocess/tensor-stages' has them alone.
export { digitImagesStage, holdoutStage, imageFolderStage, mnistStage, stages, windowsStage } from './tensor-stages.js';
