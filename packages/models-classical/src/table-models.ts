// The table models alone (fit, predict, their saved form), without the image classifiers and PCA, which
// load TensorFlow.js: what `stagegraph predict` needs for a classical table model.
export {
  TABLE_MODEL,
  TABLE_MODEL_KINDS,
  type TableFitData,
  type TableModel,
  type TableModelKind,
  type TablePrediction,
} from './table-models/table-model.js';
export { fitTableModel, predictTableModel, TABLE_MODEL_OPTIONS } from './table-models/model-kinds.js';
