// '@stagegraph/models-cnn/stages': the stage definitions, loading no TensorFlow.js (training loads
// it when it runs; prediction only calls the models and tensors it is given).
import { classifyStage } from './stages/classify.stage.js';
import { denseTableStage } from './stages/dense-table.stage.js';
import { predictClassesStage } from './stages/predict.stage.js';
import { trainClassifierStage } from './stages/train.stage.js';

export { classifyStage, denseTableStage, predictClassesStage, trainClassifierStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainClassifierStage, predictClassesStage, classifyStage, denseTableStage];
