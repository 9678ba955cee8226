export { buildLstmForecaster, type ForecasterOptions } from './build-forecaster.js';
export { FusedGru } from './fused-gru-layer.js';
export { FusedLstm } from './fused-lstm-layer.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/models-lstm/stages' has them alone.
export {
  forecastNextStage,
  predictStage,
  recurrentParamShape,
  stages,
  trainForecasterStage,
  type RecurrentParams,
} from './stages.js';
