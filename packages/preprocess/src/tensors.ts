// '@stagegraph/preprocess/tensors': the stages and helpers that make tfjs tensors. Importing it
// needs @stagegraph/core-tensor (an optional peer dependency of this package) and TensorFlow.js.
import { digitImagesStage } from './stages/digit-images.stage.js';
import { holdoutStage } from './stages/holdout.stage.js';
import { mnistStage } from './stages/mnist.stage.js';
import { windowsStage } from './stages/windows.stage.js';

export { digitImagesToTensor } from './digit-tensor.js';
export { readImageSplit, readMnist, type ImageSplit } from './mnist-dataset.js';
export { digitImagesStage, holdoutStage, mnistStage, windowsStage };

/** The stages that make tensors (a plugin's `stages` export). */
export const stages = [windowsStage, mnistStage, holdoutStage, digitImagesStage];
