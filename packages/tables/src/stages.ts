// '@stagegraph/tables/stages': the stage definitions alone (DuckDB loads when a table is read).
import { loadTableStage } from './stages/load.stage.js';
import { prepareTableStage } from './stages/prepare.stage.js';

export { loadTableStage, prepareTableStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [loadTableStage, prepareTableStage] as const;
