// '@stagegraph/tables/read': the file reader alone, for other packages' loaders (the series loader of
// @stagegraph/preprocess): no stages, no preparation; DuckDB and apache-arrow load when a file is read.
export { EXPECTED_FORMATS, formatOfHead, sniffFormat } from './read/sniff-format.js';
export { hashFile } from './read/file-hash.js';
export {
  matchColumn,
  readTextColumns,
  type ReadTextColumnsOptions,
  type TextColumns,
} from './read/read-text-columns.js';
export type { TableFormat } from './read/file-format.js';
export type { WhereOption } from './read/table-options.js';
export {
  checkTableFile,
  type MatchedColumns,
  type TableCheckMore,
  type TableCheckOptions,
} from './read/check-table.js';
export { peekTable, type PeekTableOptions, type TablePeek } from './read/peek-table.js';
