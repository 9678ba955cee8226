import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '../backend.js';
import { tensorCount } from '../memory.js';
import { SeededRandom } from '@stagegraph/pipeline';
import * as tf from '../tf.js';
import { useWasmTrainingKernels } from '../wasm-kernels/register-wasm-kernels.js';
import { simdKernelRuns } from '../wasm-kernels/simd-kernels.js';
import { lstmLastState, type LstmActivation } from './lstm-sequence.js';

beforeAll(() => selectBackend('cpu'));
afterAll(() => useWasmTrainingKernels(false));

const random = new SeededRandom(5);
const uniform = (shape: number[], scale = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random.next() * 2 - 1) * scale),
    shape,
  );

// cpu: the op's JavaScript recurrence; wasm: the project's sequence kernels (SIMD), which must run
describe.each(['cpu', 'wasm'])('lstmLastState on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend as 'cpu' | 'wasm');
    if (backend === 'wasm') useWasmTrainingKernels(true);
  });

  it.each([
    ['relu', 3, 5, 2, 4],
    ['tanh', 2, 7, 3, 6],
    ['linear', 1, 4, 1, 3],
    // units not a multiple of the 4 SIMD lanes, and more than 16 gate columns per unit block
    ['relu', 4, 6, 3, 9],
    ['tanh', 2, 3, 1, 20],
  ] as [LstmActivation, number, number, number, number][])(
    'matches tfjs-layers LSTM (%s, batch %i, %i steps, %i features, %i units), values and gradients',
    (activation, B, T, F, H) => {
      const kernelRuns = [simdKernelRuns.lstm_forward, simdKernelRuns.lstm_backward];
      const x = uniform([B, T, F]);
      const W = uniform([F, 4 * H], 0.5);
      const U = uniform([H, 4 * H], 0.5);
      const b = uniform([4 * H], 0.5);
      const layer = tf.layers.lstm({ units: H, activation, recurrentActivation: 'sigmoid', inputShape: [T, F] });
      tf.tidy(() => layer.apply(x) as tf.Tensor); // builds the weights
      layer.setWeights([W, U, b]);
      const weighting = uniform([B, H]);
      const loss = (out: tf.Tensor) => out.mul(weighting).sum() as tf.Scalar;
      const fused = (xs: tf.Tensor, k: tf.Tensor, r: tf.Tensor, bb: tf.Tensor) =>
        loss(lstmLastState(xs as tf.Tensor3D, k as tf.Tensor2D, r as tf.Tensor2D, bb as tf.Tensor1D, activation));
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value: refLoss, grads } = tf.variableGrads(() => loss(layer.apply(x) as tf.Tensor), variables);
      const expected = [
        tf.grad((xs: tf.Tensor) => loss(layer.apply(xs) as tf.Tensor))(x),
        ...variables.map((v) => grads[v.name]),
      ];
      refLoss.dispose();
      const before = tensorCount();
      const actual = tf.grads(fused)([x, W, U, b]);
      expect(tensorCount()).toBe(before + 4);
      const value = lstmLastState(x as tf.Tensor3D, W as tf.Tensor2D, U as tf.Tensor2D, b as tf.Tensor1D, activation);
      const refValue = layer.apply(x) as tf.Tensor;
      expect(value.shape).toEqual([B, H]);
      const close = (a: tf.Tensor, e: tf.Tensor) => {
        const [av, ev] = [a.dataSync(), e.dataSync()];
        expect(a.shape).toEqual(e.shape);
        for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(ev[i], 4);
      };
      close(value, refValue);
      actual.forEach((g, i) => close(g, expected[i]));
      tf.dispose([x, W, U, b, weighting, value, refValue, ...expected, ...actual]);
      layer.dispose();
      // forward twice (with and without gradients), backward once
      const expectedRuns = backend === 'wasm' ? [2, 1] : [0, 0];
      expect([simdKernelRuns.lstm_forward - kernelRuns[0]!, simdKernelRuns.lstm_backward - kernelRuns[1]!]).toEqual(
        expectedRuns,
      );
    },
  );
});
