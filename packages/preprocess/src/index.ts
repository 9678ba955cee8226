import { chronoSplitStage } from './stages/chrono-split.stage.js';
import { inverseMinMaxStage } from './stages/inverse-minmax.stage.js';
import { loadCsvStage } from './stages/load-csv.stage.js';
import { minMaxScaleStage } from './stages/minmax-scale.stage.js';
import { windowsStage } from './stages/windows.stage.js';

export { chronologicalSplit } from './chronological-split.js';
export { parseCsv, type CsvTable } from './csv-parse.js';
export { loadPriceSeries, type LoadedSeries, type PriceSeriesOptions } from './load-price-series.js';
export { MinMaxScaler } from './minmax-scaler.js';
export { resolveDataPath } from './resolve-data-path.js';
export type { Series } from './series.js';
export { slidingWindows, windowsAfter, type Windows } from './sliding-windows.js';
export { chronoSplitStage, inverseMinMaxStage, loadCsvStage, minMaxScaleStage, windowsStage };

/** Every stage this package defines, for a StageRegistry. */
export const preprocessStages = [loadCsvStage, chronoSplitStage, minMaxScaleStage, windowsStage, inverseMinMaxStage];
