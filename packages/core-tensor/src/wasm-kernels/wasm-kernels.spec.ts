import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '../backend.js';
import { SeededRandom } from '@stagegraph/pipeline';
import * as tf from '../tf.js';
import { adam } from '../fused-adam.js';
import { batchMatMulRuns } from './BatchMatMul.js';
import { conv2DBackpropFilterRuns } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputRuns } from './Conv2DBackpropInput.js';
import { identityRuns } from './Identity.js';
import { useNativeKernels } from './native-kernels.js';
import { useWasmTrainingKernels } from './register-wasm-kernels.js';
import { simdKernelRuns } from './simd-kernels.js';

const random = new SeededRandom(123);
const randomArray = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.next() * 2 - 1);

/** Runs `fn` on a backend with plain arrays in and out, so both backends see identical data. */
async function on<T extends number[][]>(backend: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(fn);
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outputs);
  return values as unknown as T extends never ? never : Float32Array[];
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tolerance);
}

// the wasm paths (native-kernels.spec.ts covers the native ones, which take precedence where built)
beforeAll(async () => {
  useNativeKernels(false);
  await selectBackend('wasm');
  useWasmTrainingKernels(true);
});
afterAll(() => {
  useWasmTrainingKernels(false);
  useNativeKernels(true);
});

type Shape4 = [number, number, number, number];

interface ConvCase {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  /** 'same', 'valid', one number for every side, or [[0,0],[top,bottom],[left,right],[0,0]] */
  pad: 'same' | 'valid' | number | ExplicitPad;
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
const explicitPad = (top: number, bottom: number, left: number, right: number): ExplicitPad => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
];

const convCases: ConvCase[] = [
  { batch: 2, size: [9, 9], inChannels: 3, outChannels: 4, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 1, size: [7, 8], inChannels: 1, outChannels: 2, kernel: [5, 5], stride: 1, pad: 'same' },
  { batch: 3, size: [11, 9], inChannels: 2, outChannels: 5, kernel: [3, 2], stride: 2, pad: 'same' },
  { batch: 2, size: [10, 10], inChannels: 4, outChannels: 1, kernel: [3, 3], stride: 2, pad: 'valid' },
  { batch: 1, size: [8, 7], inChannels: 6, outChannels: 3, kernel: [2, 3], stride: 1, pad: 'valid' },
  { batch: 4, size: [6, 6], inChannels: 16, outChannels: 8, kernel: [5, 5], stride: 1, pad: 'same' },
  { batch: 2, size: [13, 13], inChannels: 3, outChannels: 3, kernel: [4, 4], stride: 3, pad: 'valid' },
  // explicit numeric padding
  { batch: 1, size: [9, 8], inChannels: 1, outChannels: 3, kernel: [3, 3], stride: 1, pad: 2 },
  { batch: 2, size: [8, 9], inChannels: 5, outChannels: 2, kernel: [3, 3], stride: 1, pad: 1 },
  { batch: 1, size: [6, 6], inChannels: 2, outChannels: 3, kernel: [2, 2], stride: 1, pad: 1 },
  { batch: 2, size: [7, 7], inChannels: 5, outChannels: 4, kernel: [3, 3], stride: 1, pad: explicitPad(1, 1, 0, 2) },
  { batch: 2, size: [7, 7], inChannels: 2, outChannels: 4, kernel: [3, 3], stride: 1, pad: explicitPad(1, 2, 2, 0) },
];

describe('wasm conv2d gradients match the cpu backend', () => {
  it.each(convCases)(
    'batch $batch, $size, $inChannels->$outChannels, kernel $kernel, stride $stride, pad $pad',
    async (c) => {
      const xShape = [c.batch, ...c.size, c.inChannels];
      const fShape = [...c.kernel, c.inChannels, c.outChannels];
      const x = randomArray(xShape);
      const f = randomArray(fShape);
      const gradients = () => {
        const loss = (xt: tf.Tensor, ft: tf.Tensor) => {
          const y = tf.conv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, c.stride, c.pad);
          return y.mul(tf.range(0, y.size).reshape(y.shape).mul(0.01).sin()).sum();
        };
        return tf.grads(loss)([tf.tensor(x, xShape), tf.tensor(f, fShape)]);
      };
      const [cpuDx, cpuDf] = await on('cpu', gradients);
      const before = { ...conv2DBackpropFilterRuns };
      const [wasmDx, wasmDf] = await on('wasm', gradients);
      // few input channels: the patch-matrix path; more: the convolution path
      const path = c.inChannels <= 3 ? 'patches' : 'convolution';
      expect(conv2DBackpropFilterRuns[path]).toBe(before[path] + 1);
      expectClose(wasmDf, cpuDf);
      expectClose(wasmDx, cpuDx);
    },
  );
});

describe("wasm conv2dTranspose (the input-gradient kernel) gives the cpu backend's shape and values", () => {
  it.each([
    // the case: an output smaller than stride-1 'same' would give from an 8x8 input
    [[1, 8, 8, 8], [8, 8, 8, 8], [1, 4, 4, 8], 'same'],
    [[1, 4, 4, 2], [3, 3, 3, 2], [1, 6, 6, 3], 'valid'], // larger than the input
    [[2, 5, 6, 3], [3, 2, 4, 3], [2, 5, 6, 4], 'same'], // the consistent shape
    [[1, 3, 3, 2], [2, 2, 1, 2], [1, 4, 4, 1], 'valid'],
    [[1, 6, 5, 1], [3, 3, 2, 1], [1, 4, 3, 2], 'valid'], // smaller than 'valid' gives
  ] as [Shape4, Shape4, Shape4, 'same' | 'valid'][])(
    'x %j, filter %j -> %j, %s, stride 1',
    async (xShape, fShape, outShape, pad) => {
      const x = randomArray(xShape);
      const f = randomArray(fShape);
      const transposed = () => [tf.conv2dTranspose(tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), outShape, 1, pad)];
      const shapeOn = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => transposed()[0].shape);
      };
      const cpuShape = await shapeOn('cpu');
      const [cpu] = await on('cpu', transposed);
      const before = conv2DBackpropInputRuns.fast;
      const wasmShape = await shapeOn('wasm');
      const [wasm] = await on('wasm', transposed);
      expect(wasmShape).toEqual(cpuShape);
      expect(wasmShape).toEqual(outShape);
      expectClose(wasm, cpu);
      expect(conv2DBackpropInputRuns.fast).toBeGreaterThan(before); // the project's kernel, not the stock one
    },
  );
});

describe('wasm matMul with transposes matches the cpu backend', () => {
  it.each([
    [false, false, [5, 7], [7, 3]],
    [true, false, [7, 5], [7, 3]],
    [false, true, [5, 7], [3, 7]],
    [true, true, [7, 5], [3, 7]],
    [true, false, [2, 9, 4], [2, 9, 6]],
    [false, true, [1, 1], [8, 1]],
  ] as [boolean, boolean, number[], number[]][])(
    'transposeA %s, transposeB %s, %j x %j',
    async (ta, tb, aShape, bShape) => {
      const a = randomArray(aShape);
      const b = randomArray(bShape);
      const product = () => [tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb)];
      const [cpu] = await on('cpu', product);
      const before = simdKernelRuns.matmul;
      const [wasm] = await on('wasm', product);
      expectClose(wasm, cpu, 1e-5);
      // single small matrices: our SIMD product on the calling thread; batches: XNNPACK
      expect(simdKernelRuns.matmul - before).toBe(aShape.length === 2 ? 1 : 0);
    },
  );

  it('gives the broadcast shape when b has more leading axes, NaN through relu, and refuses inner sizes that differ', async () => {
    const [a, b] = [randomArray([2, 3]), randomArray([1, 3, 4])];
    const shapes = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => [tf.matMul(tf.tensor(a, [2, 3]), tf.tensor(b, [1, 3, 4])).shape]);
    };
    expect(await shapes('wasm')).toEqual(await shapes('cpu'));
    const nanRelu = () => [
      tf.fused.matMul({ a: tf.tensor2d([NaN, 1, 2, 3], [2, 2]), b: tf.ones([2, 3]), activation: 'relu' }),
    ];
    const [cpu] = await on('cpu', nanRelu);
    const [wasm] = await on('wasm', nanRelu);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    expect(() => tf.matMul(tf.ones([2, 5]), tf.ones([4, 3]))).toThrow();
  });

  it("fuses a small dense layer's bias and relu in the SIMD product", async () => {
    const [a, w, bias] = [randomArray([6, 10]), randomArray([10, 7]), randomArray([7])];
    const dense = () => [
      tf.fused.matMul({
        a: tf.tensor2d(a, [6, 10]),
        b: tf.tensor2d(w, [10, 7]),
        bias: tf.tensor1d(bias),
        activation: 'relu',
      }),
    ];
    const [cpu] = await on('cpu', dense);
    const before = simdKernelRuns.matmul;
    const [wasm] = await on('wasm', dense);
    expectClose(wasm, cpu, 1e-5);
    expect(simdKernelRuns.matmul - before).toBe(1);
  });
});

describe('wasm matMul packs the smaller operand when the larger one is new', () => {
  it.each([
    // (above SMALL_PRODUCT multiply-adds, which go to the SIMD product)
    [false, false, [4, 64], [64, 256]], // a layer's forward pass after an optimizer step
    [false, true, [4, 256], [64, 256]], // its input gradient, dy W^T
    [true, true, [64, 4], [256, 64]],
  ] as [boolean, boolean, number[], number[]][])(
    'transposeA %s, transposeB %s, %j x %j: swapped, same values as cpu',
    async (ta, tb, aShape, bShape) => {
      const a = randomArray(aShape);
      const b = randomArray(bShape);
      const product = () => [tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb)];
      const [cpu] = await on('cpu', product);
      const before = batchMatMulRuns.swapped;
      const [wasm] = await on('wasm', product);
      expect(batchMatMulRuns.swapped).toBe(before + 1);
      expectClose(wasm, cpu, 1e-5);
    },
  );

  it('multiplies plainly by weights it has seen before, so XNNPACK packs them once', async () => {
    await tf.setBackend('wasm');
    const weights = tf.tensor(randomArray([64, 256]), [64, 256]);
    const batch = tf.tensor(randomArray([4, 64]), [4, 64]);
    const before = { ...batchMatMulRuns };
    tf.dispose([tf.matMul(batch, weights), tf.matMul(batch, weights), tf.matMul(batch, weights)]);
    expect(batchMatMulRuns.swapped - before.swapped).toBe(1);
    expect(batchMatMulRuns.stock - before.stock).toBe(2);
    tf.dispose([weights, batch]);
  });
});

describe('the fused Adam update', () => {
  /** Five Adam steps on a tiny regression from fixed weights: the weights after them. */
  const fiveSteps = async (backend: string, makeOptimizer: () => tf.Optimizer) => {
    await tf.setBackend(backend);
    const w = tf.variable(
      tf.tensor(
        Float32Array.from({ length: 18 }, (_, i) => Math.sin(i)),
        [6, 3],
      ),
    );
    const xs = tf.tensor(
      Float32Array.from({ length: 24 }, (_, i) => Math.cos(i)),
      [4, 6],
    );
    const ys = tf.tensor(
      Float32Array.from({ length: 12 }, (_, i) => i / 12),
      [4, 3],
    );
    const optimizer = makeOptimizer();
    for (let step = 0; step < 5; step++)
      optimizer.minimize(() => tf.losses.meanSquaredError(ys, tf.matMul(xs, w)) as tf.Scalar);
    const values = Float32Array.from(w.dataSync());
    tf.dispose([w, xs, ys]);
    optimizer.dispose();
    return values;
  };

  it("gives tfjs Adam's weights on wasm, through the project's kernel", async () => {
    const reference = await fiveSteps('cpu', () => tf.train.adam(0.05));
    const before = simdKernelRuns.adam;
    const fused = await fiveSteps('wasm', () => adam(0.05));
    expect(simdKernelRuns.adam - before).toBe(5);
    expectClose(fused, reference, 1e-5);
  });

  it("trains a conv net with it on wasm alone to tfjs' losses on cpu (XNNPACK's packed weights stay fresh)", async () => {
    const losses = async (backend: string) => {
      await tf.setBackend(backend);
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [8, 8, 1],
            filters: 4,
            kernelSize: 3,
            activation: 'relu',
            padding: 'same',
            kernelInitializer: init(1),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(2) }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) }),
        ],
      });
      model.compile({ optimizer: adam(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(
        Array.from({ length: 16 * 64 }, (_, i) => Math.sin(i * 0.37)),
        [16, 8, 8, 1],
      );
      const y = tf
        .oneHot(
          tf.tensor1d(
            Array.from({ length: 16 }, (_, i) => i % 3),
            'int32',
          ),
          3,
        )
        .toFloat();
      const history = await model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
      tf.dispose([x, y]);
      model.optimizer.dispose(); // its moments are variables
      model.dispose();
      return history.history['loss'] as number[];
    };
    // this file's kernels run with the native ones turned off (beforeAll above)
    const reference = await losses('cpu');
    const ours = await losses('wasm');
    ours.forEach((loss, i) => expect(loss).toBeCloseTo(reference[i]!, 4));
  });

  it("falls back to tfjs' own update where the kernel is not installed", async () => {
    const reference = await fiveSteps('cpu', () => tf.train.adam(0.05));
    useWasmTrainingKernels(false);
    const before = simdKernelRuns.adam;
    try {
      expectClose(await fiveSteps('wasm', () => adam(0.05)), reference, 1e-5);
      expectClose(await fiveSteps('cpu', () => adam(0.05)), reference, 1e-7);
    } finally {
      useWasmTrainingKernels(true);
    }
    expect(simdKernelRuns.adam).toBe(before);
  });
});

describe('wasm filter gradient against finite differences', () => {
  it('agrees with central differences of the loss', async () => {
    await tf.setBackend('wasm');
    const xShape: [number, number, number, number] = [2, 6, 5, 2];
    const fShape: [number, number, number, number] = [3, 3, 2, 2];
    const x = tf.tensor(randomArray(xShape), xShape) as tf.Tensor4D;
    const f = randomArray(fShape);
    const loss = (filter: Float32Array) =>
      tf.tidy(
        () =>
          tf
            .conv2d(x, tf.tensor(filter, fShape) as tf.Tensor4D, 2, 'same')
            .square()
            .sum()
            .dataSync()[0],
      );
    const analytic = tf.tidy(() =>
      tf
        .grad((ft: tf.Tensor) =>
          tf
            .conv2d(x, ft as tf.Tensor4D, 2, 'same')
            .square()
            .sum(),
        )(tf.tensor(f, fShape))
        .dataSync(),
    );
    const eps = 1e-2;
    for (const i of [0, 5, 17, 35]) {
      const plus = Float32Array.from(f);
      const minus = Float32Array.from(f);
      plus[i] += eps;
      minus[i] -= eps;
      expect(analytic[i]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * eps), 1);
    }
    x.dispose();
  });
});

describe('wasm max-pool gradient matches the cpu backend', () => {
  it.each([
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[1, 7, 9, 1], 3, 2, 'same'],
    [[3, 6, 5, 4], 2, 1, 'same'],
    [[1, 5, 5, 2], 3, 3, 'valid'],
    // channels in fours (SIMD lanes) and a remainder
    [[2, 6, 6, 8], 2, 2, 'same'],
    [[1, 7, 7, 5], 3, 2, 'same'],
  ] as [number[], number, number, 'same' | 'valid'][])(
    'input %j, pool %i, stride %i, %s',
    async (shape, pool, stride, pad) => {
      // distinct values, so every window has one maximum
      const values = Float32Array.from(
        new SeededRandom(9).permutation(shape.reduce((a, b) => a * b, 1)),
        (v) => v / 100,
      );
      await expectMaxPoolGradLikeCpu(values, shape, pool, stride, pad);
    },
  );

  it('sends the gradient of a tied window to its first maximum, as the cpu backend does', async () => {
    await expectMaxPoolGradLikeCpu(new Float32Array(2 * 4 * 4 * 6).fill(0.5), [2, 4, 4, 6], 2, 1, 'same');
  });
});

async function expectMaxPoolGradLikeCpu(
  values: Float32Array,
  shape: number[],
  pool: number,
  stride: number,
  pad: 'same' | 'valid',
) {
  const gradient = () => [
    tf.grad((x: tf.Tensor) =>
      tf
        .maxPool(x as tf.Tensor4D, pool, stride, pad)
        .mul(tf.range(1, 2, 1))
        .square()
        .sum(),
    )(tf.tensor(values, shape)),
  ];
  const [cpu] = await on('cpu', gradient);
  const before = simdKernelRuns.max_pool_grad;
  const [wasm] = await on('wasm', gradient);
  expect(simdKernelRuns.max_pool_grad - before).toBe(1);
  expectClose(wasm, cpu, 1e-6);
}

describe('wasm sums over every axis but the last (bias gradients) match the cpu backend', () => {
  it.each([
    [[2, 5, 6, 7], [0, 1, 2], false, 1],
    [[2, 5, 6, 7], [2, 0, 1], true, 1],
    [[9, 10], 0, false, 1],
    [[9, 3], [-2], true, 1],
    // not ours: a sum over the last axis, or over all of them
    [[4, 6], 1, false, 0],
    [[4, 6], [0, 1], false, 0],
  ] as [number[], number | number[], boolean, number][])(
    'shape %j, axis %j, keepDims %s',
    async (shape, axis, keepDims, ours) => {
      const x = randomArray(shape);
      const total = () => [tf.sum(tf.tensor(x, shape), axis, keepDims)];
      const [cpu] = await on('cpu', total);
      const before = simdKernelRuns.column_sums;
      const [wasm] = await on('wasm', total);
      expectClose(wasm, cpu, 1e-5);
      expect(simdKernelRuns.column_sums - before).toBe(ours);
      const shapeOn = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => total()[0]!.shape);
      };
      expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'));
    },
  );
});

describe('wasm identities share memory instead of copying it', () => {
  it('clones a tensor into the same memory, which outlives the original, and frees it with the last', async () => {
    await tf.setBackend('wasm');
    const wasm = tf.backend() as unknown as { getMemoryOffset(id: object): number; numDataIds(): number };
    const idsBefore = wasm.numDataIds();
    const before = identityRuns.shared;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    expect(identityRuns.shared - before).toBe(1);
    expect(wasm.getMemoryOffset(copy.dataId)).toBe(wasm.getMemoryOffset(x.dataId));
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(wasm.numDataIds()).toBe(idsBefore);
  });

  it("saves a kernel's tensors for the backward pass without copies, and the gradients match the cpu backend", async () => {
    const xs = randomArray([3, 5]);
    const ws = randomArray([5, 4]);
    const grads = () =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.relu(tf.matMul(x, w)).square().sum())([
        tf.tensor(xs, [3, 5]),
        tf.tensor(ws, [5, 4]),
      ]);
    const cpu = await on('cpu', grads);
    const before = identityRuns.shared;
    const wasm = await on('wasm', grads);
    expect(identityRuns.shared).toBeGreaterThan(before);
    wasm.forEach((values, i) => expectClose(values, cpu[i]!, 1e-5));
  });
});
