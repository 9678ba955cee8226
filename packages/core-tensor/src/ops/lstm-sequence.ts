import * as tf from '../tf.js';
import { LSTM_BACKWARD, LSTM_FORWARD, type LstmSequenceAttrs } from '../wasm-kernels/LstmSequence.js';

export type LstmActivation = 'relu' | 'tanh' | 'linear';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The values of a tensor made by `make`, which is then freed. (Returning a typed array from
 * tf.tidy would make tidy walk every element looking for tensors.) */
function valuesOf(make: () => tf.Tensor): Float32Array {
  const tensor = tf.tidy(make);
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}
const activations: Record<
  LstmActivation,
  { f: (z: number) => number; /** derivative, from the output */ d: (y: number) => number }
> = {
  relu: { f: (z) => (z < 0 ? 0 : z), d: (y) => (y > 0 ? 1 : 0) }, // NaN stays NaN, as in tfjs' relu
  tanh: { f: Math.tanh, d: (y) => 1 - y * y },
  linear: { f: (z) => z, d: () => 1 },
};

/**
 * The last hidden state of an LSTM run over a whole sequence (Keras' LSTM with sigmoid gates,
 * gate order i, f, c, o, returnSequences false), as one op with a hand-written gradient.
 *
 * tfjs-layers runs ~100 small kernels per time step (forward and backward), and at this size the
 * per-kernel overhead dominates: ~2,000 kernel calls per batch of the seed LSTM. Here the input
 * projection is one matMul for all steps, each step costs one matMul (h @ U) plus elementwise work
 * on plain arrays, and the backward pass is one matMul per step plus three for the weights.
 */
export function lstmLastState(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: LstmActivation,
): tf.Tensor2D {
  // the kernels read float32 and assume at least one step; anything else takes the path below
  const kernelCase = x.shape[1] > 0 && [x, kernel, recurrentKernel, bias].every((t) => t.dtype === 'float32');
  if (kernelCase && tf.getKernel(LSTM_FORWARD, tf.getBackend()))
    return lstmBySequenceKernels(x, kernel, recurrentKernel, bias, activation);
  const [B, T, F] = x.shape;
  const H = recurrentKernel.shape[0];
  const G = 4 * H;
  const BH = B * H;
  const act = activations[activation];
  const op = tf.customGrad(((xIn: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor) => {
    const projected = valuesOf(() => tf.matMul(timeMajorRows(xIn), W as tf.Tensor2D).add(b));
    const { gates, cells, hidden } = forwardSteps(projected, U as tf.Tensor2D, { B, T, H }, act);
    const value = tf.tensor2d(hidden.slice(T * BH), [B, H]);

    const gradFunc = (dy: tf.Tensor) => {
      const dz = new Float32Array(T * B * G);
      let dh: Float32Array = Float32Array.from(dy.dataSync());
      const dc = new Float32Array(BH);
      const uT = tf.transpose(U);
      for (let t = T - 1; t >= 0; t--) {
        for (let row = 0; row < B; row++) {
          const zBase = (t * B + row) * G;
          for (let j = 0; j < H; j++) {
            const at = row * H + j;
            const i = gates[zBase + j];
            const f = gates[zBase + H + j];
            const g = gates[zBase + 2 * H + j];
            const o = gates[zBase + 3 * H + j];
            const ac = act.f(cells[(t + 1) * BH + at]);
            const dC = dc[at] + dh[at] * o * act.d(ac);
            dz[zBase + j] = dC * g * i * (1 - i);
            dz[zBase + H + j] = dC * cells[t * BH + at] * f * (1 - f);
            dz[zBase + 2 * H + j] = dC * i * act.d(g);
            dz[zBase + 3 * H + j] = dh[at] * ac * o * (1 - o);
            dc[at] = dC * f;
          }
        }
        if (t > 0)
          dh = valuesOf(() =>
            tf.matMul(tf.tensor2d(dz.subarray(t * B * G, (t + 1) * B * G), [B, G]), uT as tf.Tensor2D),
          );
      }
      uT.dispose();
      return tf.tidy(() => {
        const dZ = tf.tensor2d(dz, [T * B, G]);
        const hPrev = tf.tensor2d(hidden.subarray(0, T * BH), [T * B, H]);
        const dx = tf
          .matMul(dZ, W as tf.Tensor2D, false, true)
          .reshape([T, B, F])
          .transpose([1, 0, 2]);
        return [dx, tf.matMul(timeMajorRows(xIn), dZ, true, false), tf.matMul(hPrev, dZ, true, false), dZ.sum(0)];
      });
    };
    return { value, gradFunc: (dy: tf.Tensor) => tf.tidy(() => gradFunc(dy)) as tf.Tensor[] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
}

/** The forward pass step by step over the projected inputs: each step's activated gates, cell and hidden states (t-major rows). */
function forwardSteps(
  projected: Float32Array,
  U: tf.Tensor2D,
  { B, T, H }: { B: number; T: number; H: number },
  act: (typeof activations)[LstmActivation],
) {
  const G = 4 * H;
  const BH = B * H;
  const gates = new Float32Array(T * B * G); // activated i, f, g, o per step and row
  const cells = new Float32Array((T + 1) * BH); // c_0 = 0
  const hidden = new Float32Array((T + 1) * BH); // h_0 = 0
  for (let t = 0; t < T; t++) {
    const recurrent =
      t === 0 ? undefined : valuesOf(() => tf.matMul(tf.tensor2d(hidden.subarray(t * BH, (t + 1) * BH), [B, H]), U));
    for (let row = 0; row < B; row++) {
      const zBase = (t * B + row) * G;
      for (let j = 0; j < H; j++) {
        const z = (k: number) => projected[zBase + k * H + j] + (recurrent ? recurrent[row * G + k * H + j] : 0);
        const i = sigmoid(z(0));
        const f = sigmoid(z(1));
        const g = act.f(z(2));
        const o = sigmoid(z(3));
        const c = f * cells[t * BH + row * H + j] + i * g;
        gates[zBase + j] = i;
        gates[zBase + H + j] = f;
        gates[zBase + 2 * H + j] = g;
        gates[zBase + 3 * H + j] = o;
        cells[(t + 1) * BH + row * H + j] = c;
        hidden[(t + 1) * BH + row * H + j] = o * act.f(c);
      }
    }
  }
  return { gates, cells, hidden };
}

/** x [B, T, F] as rows t-major (t * B + batch), so each step's rows are contiguous. */
function timeMajorRows(x: tf.Tensor): tf.Tensor2D {
  const [B, T, F] = x.shape as [number, number, number];
  return tf.transpose(x, [1, 0, 2]).reshape([T * B, F]);
}

/**
 * The same op where the backend has the sequence kernels (the project's wasm kernels): forward and
 * backward are one kernel call each, in WebAssembly SIMD, projection and weight gradients included.
 */
function lstmBySequenceKernels(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: LstmActivation,
): tf.Tensor2D {
  const attrs = { activation } satisfies LstmSequenceAttrs as unknown as tf.NamedAttrMap;
  const op = tf.customGrad(((xIn: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [gates, cells, hPrev, last] = tf
      .engine()
      .runKernel(LSTM_FORWARD, { x: xIn, kernel: W, bias: b, recurrentKernel: U }, attrs) as tf.Tensor[];
    save([xIn, W, U, gates!, cells!, hPrev!]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xSaved, wSaved, uSaved, gatesSaved, cellsSaved, hPrevSaved] = saved as tf.Tensor[];
      const inputs = {
        dy,
        x: xSaved!,
        kernel: wSaved!,
        recurrentKernel: uSaved!,
        gates: gatesSaved!,
        cells: cellsSaved!,
        hPrev: hPrevSaved!,
      };
      return tf.engine().runKernel(LSTM_BACKWARD, inputs, attrs) as tf.Tensor[];
    };
    return { value: last!, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
}
