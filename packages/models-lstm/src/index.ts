import { forecastNextStage } from './stages/forecast-next.stage.js';
import { predictStage } from './stages/predict.stage.js';
import { trainForecasterStage } from './stages/train.stage.js';

export { buildLstmForecaster, type ForecasterOptions } from './build-forecaster.js';
export { FusedLstm } from './fused-lstm-layer.js';
export { recurrentParamShape } from './recurrent-params.js';
export { forecastNextStage, predictStage, trainForecasterStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [trainForecasterStage, predictStage, forecastNextStage];
