// '@stagegraph/core-tensor/ports': what a stage definition and a run's registry need of tensors and
// models, loading no TensorFlow.js: the model contract, tensor ports, the tensor and model codecs.
// tfjs is loaded when a value is first loaded, saved or checked.
export { modelCodec } from './lazy-model-codec.js';
export { LAYERS_MODEL } from './model-contract.js';
export { tensorCodec } from './tensor-codec.js';
export { tensorPort } from './tensor-port.js';
