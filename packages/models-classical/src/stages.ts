// '@stagegraph/models-classical/stages': the stage definitions, loading no TensorFlow.js and no
// model library (each stage loads what it uses when it runs).
import { predictClassicalStage } from './stages/predict.stage.js';
import { tableModelStage } from './stages/table.stage.js';
import { trainClassicalStage } from './stages/train.stage.js';

export { predictClassicalStage, tableModelStage, trainClassicalStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainClassicalStage, predictClassicalStage, tableModelStage];
