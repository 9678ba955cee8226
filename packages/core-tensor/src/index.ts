export * as tf from './tf.js';
export {
  BACKENDS,
  currentBackend,
  describeBackend,
  selectBackend,
  type BackendChoice,
  type BackendName,
  type BackendOptions,
} from './backend.js';
export { fitInStage } from './fit-in-stage.js';
export { seededDropout } from './seeded-dropout.js';
export { FusedConv2D, FusedDense } from './fused-layers.js';
export { augmentImages } from './augment/augment-images.js';
export { augments, type AugmentOptions } from './augment/augment-options.js';
export { fitSeeded, type EpochRecord, type FitHistory, type FitOptions } from './fit-seeded.js';
export { buildInScope, disposeModel, tensorCount } from './memory.js';
export { loadLayersModel, saveLayersModel } from './model-codec.js';
export { imageModelInfo, setClassNames, type ImageModelInfo } from './image-model-info.js';
export { modelCodec } from './lazy-model-codec.js';
export { tensorPort } from './tensor-port.js';
export { SeededRandom } from '@stagegraph/pipeline'; // the engine's generator (sweeps draw from it too)
export { tensorCodec } from './tensor-codec.js';
export { LAYERS_MODEL } from './model-contract.js';
export {
  useWasmTrainingKernels,
  wasmTrainingKernelsInstalled,
  WASM_TRAINING_KERNELS,
} from './wasm-kernels/register-wasm-kernels.js';
export {
  describeNativeKernels,
  nativeKernelRuns,
  nativeKernelsOrigin,
  nativeKernelsStatus,
  useNativeKernels,
  type NativeKernelsSource,
  type NativeKernelsStatus,
} from './wasm-kernels/native-kernels.js';
export { simdKernelRuns } from './wasm-kernels/simd-kernels.js';
export { configureWasmThreads, requestedThreads, wasmThreadsInUse, type WasmThreads } from './wasm-threads.js';
export { adam, FusedAdamOptimizer } from './fused-adam.js';
export { lstmLastState, type LstmActivation } from './ops/lstm-sequence.js';
export { gruLastState, gruSequenceRuns, type GruActivation } from './ops/gru-sequence.js';
export {
  conv2dBiasActivation,
  denseBiasActivation,
  type Conv2DGeometry,
  type LayerActivation,
} from './ops/layer-bias-activation.js';
export { muteTensorLibraryNoise, TENSOR_LIBRARY_NOISE } from './quiet-warnings.js';
