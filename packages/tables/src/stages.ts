// '@stagegraph/tables/stages': the stage definitions alone (DuckDB loads when a table is read).
import { prepareTableStage } from './stages/prepare.stage.js';

export { prepareTableStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [prepareTableStage] as const;
