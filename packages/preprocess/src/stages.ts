// '@stagegraph/preprocess/stages': the stages that need no tensors, and nothing else: importing it
// (as a run's registry does) loads their definitions only; sharp is loaded by the stages that use it.
import { chronoSplitStage } from './stages/chrono-split.stage.js';
import { inverseMinMaxStage } from './stages/inverse-minmax.stage.js';
import { loadCsvStage } from './stages/load-csv.stage.js';
import { minMaxScaleStage } from './stages/minmax-scale.stage.js';

export { chronoSplitStage, inverseMinMaxStage, loadCsvStage, minMaxScaleStage };

/** The stages that need no tensors (a plugin's `stages` export). */
export const stages = [loadCsvStage, chronoSplitStage, minMaxScaleStage, inverseMinMaxStage];
