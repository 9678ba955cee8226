export * as tf from './tf.js';
export { BACKENDS, currentBackend, selectBackend, type BackendChoice, type BackendName } from './backend.js';
export { fitSeeded, type EpochRecord, type FitHistory, type FitOptions } from './fit-seeded.js';
export { buildInScope, disposeModel, disposeValue, tensorCount } from './memory.js';
export { loadLayersModel, modelCodec, saveLayersModel } from './model-codec.js';
export { SeededRandom } from './seeded-random.js';
export { tensorCodec } from './tensor-codec.js';
export { useWasmTrainingKernels, wasmTrainingKernelsInstalled, WASM_TRAINING_KERNELS } from './wasm-kernels/register-wasm-kernels.js';
export { lstmLastState, type LstmActivation } from './ops/lstm-sequence.js';
