export { CLASSICAL_MODEL, type ClassicalModel } from './classical-model.js';
export {
  CLASSIFIER_KINDS,
  classifiers,
  type Classifier,
  type ClassifierKind,
  type ClassifierOptions,
} from './classifiers.js';
export { featureRows } from './features.js';
// tree ensembles on any numeric table (row-major typed arrays; no TensorFlow.js)
export { fitRandomForest, predictForest, type ForestOptions } from './trees/random-forest.js';
export { fitGradientBoosting, predictGradientBoosting, type BoostingOptions } from './trees/gradient-boosting.js';
export { predictTrees } from './trees/predict-trees.js';
export type { TreeEnsembleModel, TreeJson, TreeTask, BoostingObjective } from './trees/tree-model.js';
export type { MaxFeatures, TreeTrainingData } from './trees/training-data.js';
export { binFeatures, MISSING_BIN, type BinnedFeatures, type FeatureMatrix } from './trees/binning.js';
export { fitPca, projectPca, type PcaState } from './pca.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/models-classical/stages' has them alone.
// models on a prepared table (TABLE): fit, predict, permutation importance
export {
  TABLE_MODEL,
  TABLE_MODEL_KINDS,
  type TableFitData,
  type TableModel,
  type TableModelKind,
  type TablePrediction,
} from './table-models/table-model.js';
export { fitTableModel, predictTableModel, TABLE_MODEL_OPTIONS } from './table-models/model-kinds.js';
export { featureGroups, featureSource, permutationImportance } from './table-models/permutation-importance.js';
export { predictClassicalStage, stages, tableModelStage, trainClassicalStage } from './stages.js';
