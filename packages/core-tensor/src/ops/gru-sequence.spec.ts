import { afterAll, describe, expect, it } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import { selectBackend } from '../backend.js';
import { tensorCount } from '../memory.js';
import * as tf from '../tf.js';
import { useWasmTrainingKernels } from '../wasm-kernels/register-wasm-kernels.js';
import { simdKernelRuns } from '../wasm-kernels/simd-kernels.js';
import { gruLastState, gruSequenceRuns, type GruActivation } from './gru-sequence.js';

afterAll(() => useWasmTrainingKernels(false));

const random = new SeededRandom(7);
const uniform = (size: number, scale: number) =>
  Float32Array.from({ length: size }, () => (random.next() * 2 - 1) * scale);

interface Case {
  x: Float32Array;
  weights: [Float32Array, Float32Array, Float32Array]; // kernel, recurrentKernel, bias
  weighting: Float32Array; // the loss is sum(output * weighting), so every output has its own gradient
  shapes: { x: number[]; kernel: number[]; recurrentKernel: number[]; bias: number[]; out: number[] };
}

function makeCase(B: number, T: number, F: number, H: number): Case {
  // weights at the scale Glorot and orthogonal initialisers give, so 20 relu steps stay finite
  return {
    x: uniform(B * T * F, 1),
    weights: [
      uniform(F * 3 * H, Math.sqrt(6 / (F + 3 * H))),
      uniform(H * 3 * H, 1 / Math.sqrt(H)),
      uniform(3 * H, 0.5),
    ],
    weighting: uniform(B * H, 1),
    shapes: { x: [B, T, F], kernel: [F, 3 * H], recurrentKernel: [H, 3 * H], bias: [3 * H], out: [B, H] },
  };
}

/** tfjs-layers' own GRU on the cpu backend: its output and the gradients of x, kernel, recurrentKernel, bias. */
async function stockGru(c: Case, activation: GruActivation): Promise<Float32Array[]> {
  await selectBackend('cpu');
  const [B, T, F] = c.shapes.x as [number, number, number];
  const H = c.shapes.out[1]!;
  const layer = tf.layers.gru({ units: H, activation, recurrentActivation: 'sigmoid', inputShape: [T, F] });
  const x = tf.tensor3d(c.x, [B, T, F]);
  const weighting = tf.tensor2d(c.weighting, [B, H]);
  tf.tidy(() => layer.apply(x) as tf.Tensor); // builds the weights
  layer.setWeights([
    tf.tensor(c.weights[0], c.shapes.kernel),
    tf.tensor(c.weights[1], c.shapes.recurrentKernel),
    tf.tensor(c.weights[2], c.shapes.bias),
  ]);
  const loss = (xs: tf.Tensor) => (layer.apply(xs) as tf.Tensor).mul(weighting).sum() as tf.Scalar;
  // tfjs' RNN cannot pass a gradient back to a one-step input (Unpack's gradient gets a lone tensor
  // where it stacks a list), so there x's gradient comes from its GRUCell on that step
  const cell = (layer as unknown as { cell: { call(inputs: tf.Tensor[], kwargs: object): tf.Tensor[] } }).cell;
  const oneStepLoss = (xs: tf.Tensor) =>
    cell
      .call([xs.reshape([B, F]), tf.zeros([B, H])], {})[0]!
      .mul(weighting)
      .sum() as tf.Scalar;
  const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const results = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => loss(x), variables);
    value.dispose();
    return [
      layer.apply(x) as tf.Tensor,
      tf.grad(T === 1 ? oneStepLoss : loss)(x),
      ...variables.map((v) => grads[v.name]!),
    ];
  });
  const values = results.map((t) => t.dataSync() as Float32Array);
  tf.dispose([x, weighting, ...results]);
  layer.dispose();
  return values;
}

/** The same through gruLastState on wasm, counting its kernel calls. */
async function fusedGru(c: Case, activation: GruActivation) {
  await selectBackend('wasm');
  useWasmTrainingKernels(true);
  const runs = [simdKernelRuns.gru_forward, simdKernelRuns.gru_backward];
  const inputs = [
    tf.tensor(c.x, c.shapes.x),
    tf.tensor(c.weights[0], c.shapes.kernel),
    tf.tensor(c.weights[1], c.shapes.recurrentKernel),
    tf.tensor(c.weights[2], c.shapes.bias),
  ];
  const weighting = tf.tensor(c.weighting, c.shapes.out);
  const gru = (xs: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor) =>
    gruLastState(xs as tf.Tensor3D, k as tf.Tensor2D, r as tf.Tensor2D, b as tf.Tensor1D, activation);
  const before = tensorCount();
  const grads = tf.grads((xs, k, r, b) => gru(xs!, k!, r!, b!).mul(weighting).sum())(inputs);
  expect(tensorCount()).toBe(before + 4); // nothing but the gradients stays
  const value = gru(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!);
  const values = [value, ...grads].map((t) => t.dataSync() as Float32Array);
  tf.dispose([...inputs, weighting, value, ...grads]);
  return { values, kernelRuns: [simdKernelRuns.gru_forward - runs[0]!, simdKernelRuns.gru_backward - runs[1]!] };
}

/** Equal up to float32 rounding, relative to the largest magnitude in the expected tensor. */
function expectClose(actual: Float32Array, expected: Float32Array, what: string) {
  expect({ what, length: actual.length }).toEqual({ what, length: expected.length });
  const scale = Math.max(1, ...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  expect({ what, worst: worst < 2e-5 ? 'close' : worst }).toEqual({ what, worst: 'close' });
}

const OUTPUTS = ['output', 'dx', 'dKernel', 'dRecurrentKernel', 'dBias'];
const cases: [GruActivation, number, number, number][] = [];
for (const activation of ['relu', 'tanh'] as GruActivation[])
  for (const units of [1, 5, 50])
    for (const steps of [1, 20]) for (const batch of [1, 32]) cases.push([activation, units, steps, batch]);

describe("gruLastState on wasm against tfjs-layers' GRU on cpu", () => {
  it.each(cases)('%s, %i units, %i steps, batch %i: output and every gradient', async (activation, H, T, B) => {
    const c = makeCase(B, T, B === 1 ? 1 : 3, H); // one feature (a price series) and several
    const expected = await stockGru(c, activation);
    const { values, kernelRuns } = await fusedGru(c, activation);
    values.forEach((v, i) => expectClose(v, expected[i]!, OUTPUTS[i]!));
    // forward twice (with and without gradients), backward once: our kernels computed all of it
    expect(kernelRuns).toEqual([2, 1]);
  });

  it('is refused where the kernels are not (cpu), so a layer knows to take the stock path', async () => {
    await selectBackend('cpu');
    const x = tf.zeros([1, 2, 1]);
    const [k, r, b] = [tf.zeros([1, 3]), tf.zeros([1, 3]), tf.zeros([3])];
    expect(gruSequenceRuns(x, k, r, b)).toBe(false);
    expect(() => gruLastState(x as tf.Tensor3D, k as tf.Tensor2D, r as tf.Tensor2D, b as tf.Tensor1D, 'relu')).toThrow(
      /gruLastState: expected .* on cpu/,
    );
    tf.dispose([x, k, r, b]);
  });
});
