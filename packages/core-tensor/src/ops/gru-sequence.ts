import * as tf from '../tf.js';
import { GRU_BACKWARD, GRU_FORWARD, type GruSequenceAttrs } from '../wasm-kernels/GruSequence.js';

export type GruActivation = 'relu' | 'tanh' | 'linear';

/**
 * Whether gruLastState can run these tensors here: the backend has the sequence kernels (wasm with
 * the project's training kernels), every tensor is float32 and there is at least one step.
 */
export function gruSequenceRuns(x: tf.Tensor, ...weights: tf.Tensor[]): boolean {
  return (
    x.rank === 3 &&
    x.shape[1]! > 0 &&
    [x, ...weights].every((t) => t.dtype === 'float32') &&
    tf.getKernel(GRU_FORWARD, tf.getBackend()) !== undefined
  );
}

/**
 * The last hidden state of tfjs' GRU run over a whole sequence (sigmoid gates, gate order z, r, h,
 * the reset gate applied before the recurrent product, returnSequences false), as one op with a
 * hand-written gradient: forward and backward are one kernel call each (../../simd/gru.c), where
 * tfjs-layers runs some 40 small kernels per step each way. Only where gruSequenceRuns says so.
 */
export function gruLastState(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: GruActivation,
): tf.Tensor2D {
  if (!gruSequenceRuns(x, kernel, recurrentKernel, bias))
    throw new Error(
      `gruLastState: expected float32 tensors, at least one step and the wasm backend with the training kernels, got ${x.dtype} x of shape [${x.shape}] on ${tf.getBackend()}`,
    );
  const attrs = { activation } satisfies GruSequenceAttrs as unknown as tf.NamedAttrMap;
  const op = tf.customGrad(((xIn: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [gates, hPrev, last] = tf
      .engine()
      .runKernel(GRU_FORWARD, { x: xIn, kernel: W, bias: b, recurrentKernel: U }, attrs) as tf.Tensor[];
    save([xIn, W, U, gates!, hPrev!]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xSaved, wSaved, uSaved, gatesSaved, hPrevSaved] = saved as tf.Tensor[];
      const inputs = {
        dy,
        x: xSaved!,
        kernel: wSaved!,
        recurrentKernel: uSaved!,
        gates: gatesSaved!,
        hPrev: hPrevSaved!,
      };
      return tf.engine().runKernel(GRU_BACKWARD, inputs, attrs) as tf.Tensor[];
    };
    return { value: last!, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
}
