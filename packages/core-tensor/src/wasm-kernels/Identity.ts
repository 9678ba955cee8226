import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';

/** How many identities shared their input's memory, so tests can tell that ours ran, not tfjs' copy. */
export const identityRuns = { shared: 0 };

/**
 * tf.clone and the engine's saving of a kernel's inputs and outputs for the backward pass run
 * Identity; tfjs' wasm kernel copies the tensor each time (44 copies a step of the seed CNN, the
 * 3136x1024 dense kernel among them: 3.8 of 29 ms). Ours shares the memory and counts a reference,
 * as the cpu backend's Identity and wasm's own Reshape do: no wasm kernel writes into its inputs,
 * so a tensor that shares memory cannot see it change. Strings keep the stock kernel's copy.
 */
function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const wasm = args.backend as BackendWasm;
  if (x.dtype === 'string') return tf.tensor(wasm.readSync(x.dataId) as Uint8Array[], x.shape, 'string');
  wasm.incRef(x.dataId);
  identityRuns.shared++;
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as tf.KernelFunc,
};
