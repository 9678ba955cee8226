// The plain-array half of preprocess: no TensorFlow.js is loaded from here. What makes tensors
// (windows, MNIST, digit images as a batch) is in '@stagegraph/preprocess/tensors' (tensors.ts).

export { chronologicalSplit } from './chronological-split.js';
export { centreByMass, digitImageToMnist } from './digit-image.js';
export { RASTER_FORMATS, rasterFormat } from './image-format.js';
export { encodeBmp24 } from './bmp-image.js';
export { SHAPE_CLASSES, writeShapeImages, type ShapeImageOptions } from './image-folder/shape-images.js';
export {
  decodeImageInput,
  MAX_IMAGE_PIXELS,
  openImage,
  readImageHeader,
  type ImageHeader,
  type ImageInputShape,
  type OpenedImage,
} from './image-input.js';
export {
  expandImagePaths,
  readDigitImages,
  readModelImages,
  type DigitImages,
  type ModelImages,
} from './digit-files.js';
export { assertImageInput, imageToModelInput, type ModelImageInput } from './model-image-input.js';
export { encodeIdx, parseIdx, type IdxArray } from './idx-file.js';
export {
  downloadMnist,
  findMnistFiles,
  MNIST_FILES,
  MNIST_MIRRORS,
  type DownloadOptions,
  type MnistFileKey,
} from './mnist-files.js';
export { loadPriceSeries, type LoadedSeries, type PriceSeriesOptions } from './load-price-series.js';
export { MinMaxScaler } from './minmax-scaler.js';
export { StandardScaler } from './standard-scaler.js';
export { resolveDataPath } from './resolve-data-path.js';
export type { Series } from './series.js';
export { slidingWindows, windowsAfter, type Windows } from './sliding-windows.js';
// The stages that need no tensors (a plugin's `stages` export); '@stagegraph/preprocess/stages' has them alone.
export { chronoSplitStage, inverseMinMaxStage, loadCsvStage, minMaxScaleStage, stages } from './stages.js';
