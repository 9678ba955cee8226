// Feature preparation for tables: the task from the label, seeded (stratified) splits and folds, and
// the preparation fitted on training rows only, applied alike to any table (a later file included).
export {
  inferTask,
  MAX_CLASSES,
  MAX_INFERRED_CLASSES,
  MIN_ROWS_PER_INFERRED_CLASS,
  type TaskInference,
} from './infer-task.js';
export { classesOf, labelColumn, type LabelClasses } from './label-classes.js';
export { apportion, splitRows, type RowSplit, type SplitOptions } from './split-rows.js';
export { kFolds, type FoldOptions, type Folds } from './k-folds.js';
export { fitPreparation } from './fit-preparation.js';
export {
  applyPreparation,
  prepareColumns,
  type PreparationCounts,
  type PreparedColumns,
  type PreparedRows,
} from './apply-preparation.js';
export { preparedTable } from './prepared-table.js';
export { dateParts } from './date-parts.js';
