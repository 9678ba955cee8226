export { stages } from './stages.js';
export * from './prepare/index.js';
export { loadTableStage } from './stages/load.stage.js';
export { readTable, DEFAULT_MAX_CATEGORIES } from './read/read-table.js';
export { TABLE_FORMATS, tableFormat, type TableFormat } from './read/file-format.js';
export {
  COLUMN_TYPES,
  type ColumnType,
  type ColumnsOption,
  type ReadTableOptions,
  type WhereOption,
} from './read/table-options.js';
