// '@stagegraph/forecast/stages': the stage definitions alone; the models (TensorFlow.js for an lstm)
// and the scores load when a stage runs.
import { backtestStage } from './stages/backtest.stage.js';
import { oneStepStage } from './stages/one-step.stage.js';

export { backtestStage, oneStepStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [backtestStage, oneStepStage];
