import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import { selectBackend } from '../backend.js';
import { tensorCount } from '../memory.js';
import * as tf from '../tf.js';
import { nativeKernelRuns, nativeKernelsStatus, useNativeKernels } from '../wasm-kernels/native-kernels.js';
import { RELU_BIAS_GRAD } from '../wasm-kernels/ReluBiasGrad.js';
import {
  conv2dBiasActivation,
  denseBiasActivation,
  layerFusionPays,
  type Conv2DGeometry,
  type LayerActivation,
} from './layer-bias-activation.js';

const random = new SeededRandom(11);
const values = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.next() * 2 - 1);

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, t) => {
    expect(a.length).toBe(expected[t]!.length);
    let worst = 0;
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[t]![i]!) / (1 + Math.abs(expected[t]![i]!)))));
    expect(worst).toBeLessThan(tolerance);
  });
}

/** The output and the gradients of sum(output * weighting) for every input, as plain arrays. */
function valueAndGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  outShape: number[],
  weighting: Float32Array,
) {
  return tf.tidy(() => {
    const w = tf.tensor(weighting, outShape);
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)) as tf.Scalar)(inputs);
    return [f(...inputs), value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

interface ConvCase {
  x: number[];
  filter: number[];
  geometry: Conv2DGeometry;
  activation: LayerActivation;
  bias: boolean;
}
const convCases: [string, ConvCase][] = [
  [
    'relu with a bias',
    {
      x: [2, 9, 9, 3],
      filter: [3, 3, 3, 4],
      geometry: { strides: [1, 1], pad: 'same' },
      activation: 'relu',
      bias: true,
    },
  ],
  [
    'linear with a bias',
    {
      x: [2, 9, 9, 3],
      filter: [3, 3, 3, 4],
      geometry: { strides: [1, 1], pad: 'same' },
      activation: 'linear',
      bias: true,
    },
  ],
  [
    'relu without a bias',
    {
      x: [1, 8, 7, 2],
      filter: [5, 5, 2, 3],
      geometry: { strides: [2, 2], pad: 'same' },
      activation: 'relu',
      bias: false,
    },
  ],
  [
    'strided, valid padding',
    {
      x: [3, 10, 10, 4],
      filter: [3, 3, 4, 5],
      geometry: { strides: [2, 1], pad: 'valid' },
      activation: 'relu',
      bias: true,
    },
  ],
];

/** tfjs' own ops for the same layer, unfused: the reference. */
const stockConv = (c: ConvCase) => (x: tf.Tensor, filter: tf.Tensor, bias?: tf.Tensor) => {
  const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.geometry.strides, c.geometry.pad);
  const biased = bias ? tf.add(y, bias) : y;
  return c.activation === 'relu' ? tf.relu(biased) : biased;
};

describe('conv2dBiasActivation and denseBiasActivation', () => {
  beforeAll(() => selectBackend('wasm'));
  afterAll(() => selectBackend('wasm'));

  describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
    it.each(convCases)("convolve with tfjs' value and gradients: %s", async (_, c) => {
      const [xs, fs, bs] = [values(c.x), values(c.filter), values([c.filter[3]!])];
      const out = tf.tidy(() => stockConv(c)(tf.tensor(xs, c.x), tf.tensor(fs, c.filter)).shape);
      const weighting = values(out);
      await selectBackend('cpu');
      const inputs = () => [
        tf.tensor(xs, c.x),
        tf.tensor(fs, c.filter),
        ...(c.bias ? [tf.tensor(bs, [c.filter[3]!])] : []),
      ];
      const reference = valueAndGradients(stockConv(c), inputs(), out, weighting);
      await selectBackend(backend);
      const before = tensorCount();
      const ours = valueAndGradients(
        (x, filter, bias) =>
          conv2dBiasActivation(
            x as tf.Tensor4D,
            filter as tf.Tensor4D,
            (bias as tf.Tensor1D) ?? null,
            c.geometry,
            c.activation,
          ),
        inputs(),
        out,
        weighting,
      );
      expectClose(ours, reference);
      expect(tensorCount()).toBe(before + (c.bias ? 3 : 2)); // the inputs made for it, nothing else
      tf.disposeVariables();
    });

    it.each(['relu', 'linear'] as LayerActivation[])(
      "multiply with tfjs' value and gradients: %s",
      async (activation) => {
        const [xs, ks, bs, weighting] = [values([6, 40]), values([40, 30]), values([30]), values([6, 30])];
        const stock = (x: tf.Tensor, k: tf.Tensor, b?: tf.Tensor) => {
          const y = tf.add(tf.matMul(x, k), b!);
          return activation === 'relu' ? tf.relu(y) : y;
        };
        const inputs = () => [tf.tensor(xs, [6, 40]), tf.tensor(ks, [40, 30]), tf.tensor(bs, [30])];
        await selectBackend('cpu');
        const reference = valueAndGradients(stock, inputs(), [6, 30], weighting);
        await selectBackend(backend);
        const ours = valueAndGradients(
          (x, k, b) => denseBiasActivation(x as tf.Tensor2D, k as tf.Tensor2D, b as tf.Tensor1D, activation),
          inputs(),
          [6, 30],
          weighting,
        );
        expectClose(ours, reference);
      },
    );

    it("computes only the gradients asked for: a first layer's input images get none", async () => {
      await selectBackend(backend);
      const x = tf.tensor(values([2, 8, 8, 3]), [2, 8, 8, 3]) as tf.Tensor4D;
      const filter = tf.variable(tf.tensor(values([3, 3, 3, 4]), [3, 3, 3, 4]) as tf.Tensor4D);
      const geometry: Conv2DGeometry = { strides: [1, 1], pad: 'same' };
      const profile = await tf.profile(() =>
        tf.variableGrads(() => tf.sum(conv2dBiasActivation(x, filter, null, geometry, 'relu')) as tf.Scalar, [filter]),
      );
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain('Conv2DBackpropFilter');
      expect(names).not.toContain('Conv2DBackpropInput');
      tf.dispose([x, filter]);
    });
  });

  const nativeBuilt = nativeKernelsStatus().active || process.env['CI'];
  (nativeBuilt ? it : it.skip)(
    'run on wasm as one fused forward kernel and one native backward pass before the products',
    async () => {
      await selectBackend('wasm');
      expect(layerFusionPays()).toBe(true);
      const before = { ...nativeKernelRuns };
      tf.tidy(() => {
        const x = tf.tensor(values([4, 12, 12, 3]), [4, 12, 12, 3]) as tf.Tensor4D;
        const filter = tf.tensor(values([3, 3, 3, 8]), [3, 3, 3, 8]) as tf.Tensor4D;
        const bias = tf.tensor(values([8]), [8]) as tf.Tensor1D;
        const geometry: Conv2DGeometry = { strides: [1, 1], pad: 'same' };
        tf.grads(
          (f: tf.Tensor, b: tf.Tensor) =>
            tf.sum(conv2dBiasActivation(x, f as tf.Tensor4D, b as tf.Tensor1D, geometry, 'relu')) as tf.Scalar,
        )([filter, bias]);
      });
      expect(nativeKernelRuns.dnnlConv2d - before.dnnlConv2d).toBe(1);
      expect(nativeKernelRuns.reluBiasGrad - before.reluBiasGrad).toBe(1);
      useNativeKernels(false);
      try {
        expect(layerFusionPays()).toBe(false); // wasm alone: tfjs-layers' path is faster there
      } finally {
        useNativeKernels(true);
      }
    },
  );

  it('passes dy where the output is positive and NaN where it is NaN, summing the bias gradient, with or without the native kernels', async () => {
    const y = Float32Array.from([1, 0, -0, 2, NaN, 3, 0.5, -1, 4]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const run = () =>
      tf.tidy(() =>
        (
          tf.engine().runKernel(RELU_BIAS_GRAD, { dy: tf.tensor(dy, [3, 3]), y: tf.tensor(y, [3, 3]) }) as tf.Tensor[]
        ).map((t) => Array.from(t.dataSync())),
      );
    await selectBackend('wasm');
    const expected = [
      [1, 0, 0, 4, NaN, 6, 7, 0, 9],
      [12, NaN, 15],
    ];
    expect(run()).toEqual(expected);
    useNativeKernels(false);
    try {
      expect(run()).toEqual(expected);
    } finally {
      useNativeKernels(true);
    }
  });

  it.each([
    [[3, 0], []],
    [
      [0, 4],
      [0, 0, 0, 0],
    ],
  ])('passes an empty dy of shape %j through, with a bias gradient of zeros', async (shape, bias) => {
    await selectBackend('wasm');
    const [dx, dBias] = tf.tidy(() =>
      (tf.engine().runKernel(RELU_BIAS_GRAD, { dy: tf.zeros(shape), y: tf.zeros(shape) }) as tf.Tensor[]).map((t) => ({
        shape: t.shape,
        values: Array.from(t.dataSync()),
      })),
    );
    expect(dx).toEqual({ shape, values: [] });
    expect(dBias).toEqual({ shape: [bias.length], values: bias });
  });
});
