import { chronoSplitStage } from './stages/chrono-split.stage.js';
import { digitImagesStage } from './stages/digit-images.stage.js';
import { inverseMinMaxStage } from './stages/inverse-minmax.stage.js';
import { loadCsvStage } from './stages/load-csv.stage.js';
import { minMaxScaleStage } from './stages/minmax-scale.stage.js';
import { mnistStage } from './stages/mnist.stage.js';
import { windowsStage } from './stages/windows.stage.js';

export { chronologicalSplit } from './chronological-split.js';
export { centreByMass, digitImageToMnist } from './digit-image.js';
export { digitImagesToTensor, expandImagePaths, readDigitImages, type DigitImages } from './digit-files.js';
export { encodeIdx, parseIdx, type IdxArray } from './idx-file.js';
export { readImageSplit, readMnist, type ImageSplit } from './mnist-dataset.js';
export { downloadMnist, findMnistFiles, MNIST_FILES, MNIST_MIRRORS, type DownloadOptions, type MnistFileKey } from './mnist-files.js';
export { parseCsv, type CsvTable } from './csv-parse.js';
export { loadPriceSeries, type LoadedSeries, type PriceSeriesOptions } from './load-price-series.js';
export { MinMaxScaler } from './minmax-scaler.js';
export { resolveDataPath } from './resolve-data-path.js';
export type { Series } from './series.js';
export { slidingWindows, windowsAfter, type Windows } from './sliding-windows.js';
export { chronoSplitStage, digitImagesStage, inverseMinMaxStage, loadCsvStage, minMaxScaleStage, mnistStage, windowsStage };

/** Every stage this package defines, for a StageRegistry. */
export const preprocessStages = [loadCsvStage, chronoSplitStage, minMaxScaleStage, windowsStage, inverseMinMaxStage, mnistStage, digitImagesStage];
