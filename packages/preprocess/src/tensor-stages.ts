// '@stagegraph/preprocess/tensor-stages': the stages that make tensors, as definitions only.
// Importing it loads no TensorFlow.js and no sharp: each stage loads what it needs when it runs.
import { digitImagesStage } from './stages/digit-images.stage.js';
import { holdoutStage } from './stages/holdout.stage.js';
import { imageFolderStage } from './stages/image-folder.stage.js';
import { mnistStage } from './stages/mnist.stage.js';
import { windowsStage } from './stages/windows.stage.js';

export { digitImagesStage, holdoutStage, imageFolderStage, mnistStage, windowsStage };

/** The stages that make tensors (a plugin's `stages` export). */
export const stages = [windowsStage, mnistStage, imageFolderStage, holdoutStage, digitImagesStage];
