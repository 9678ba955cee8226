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
// models on a prepared table (TABLE): fit, predict (the '/table-models' entry), permutation importance
export * from './table-models.js';
export { featureGroups, featureSource, permutationImportance } from './table-models/permutation-importance.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/models-classical/stages' has them alone.
export { predictClassicalStage, stages, tableModelStage, trainClassicalStage } from './stages.js';
