// '@stagegraph/models-lstm/stages': the stage definitions and their params, loading no TensorFlow.js
// (each stage loads it when it runs), for a run's registry and for packages that reuse the params.
import { forecastNextStage } from './stages/forecast-next.stage.js';
import { predictStage } from './stages/predict.stage.js';
import { trainForecasterStage } from './stages/train.stage.js';

export { recurrentParamShape, type RecurrentParams } from './recurrent-params.js';
export { forecastNextStage, predictStage, trainForecasterStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainForecasterStage, predictStage, forecastNextStage];
