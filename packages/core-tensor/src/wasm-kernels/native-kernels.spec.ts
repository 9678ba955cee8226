import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SeededRandom } from '@stagegraph/pipeline';
import { describeBackend, selectBackend } from '../backend.js';
import { adam } from '../fused-adam.js';
import * as tf from '../tf.js';
import { ADAM_UPDATE, adamRuns } from './AdamUpdate.js';
import {
  nativeConvPath,
  nativeKernelRuns,
  nativeKernelsStatus,
  PLATFORM_PACKAGE,
  SOURCE_BUILD,
} from './native-kernels.js';

const require = createRequire(import.meta.url);

// Runs where the addon loads (npm install builds the platform package where apt-get and g++ are, or
// a source build where libdnnl-dev is) and always in CI (.ci/run builds the platform package): there
// a missing addon fails the first test.
const built = nativeKernelsStatus().active;
const random = new SeededRandom(77);
const values = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.next() * 2 - 1);

/** The same computation on cpu and on wasm (plain arrays in and out), and how often each native function ran on wasm. */
async function onBothBackends(
  fn: () => tf.Tensor[],
): Promise<{ cpu: Float32Array[]; wasm: Float32Array[]; runs: Record<string, number> }> {
  const results: Record<string, Float32Array[]> = {};
  const before = { ...nativeKernelRuns };
  for (const backend of ['cpu', 'wasm']) {
    if (backend === 'wasm') Object.assign(before, nativeKernelRuns);
    await tf.setBackend(backend);
    const outputs = tf.tidy(fn);
    results[backend] = outputs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outputs);
  }
  const runs = Object.fromEntries(
    Object.entries(nativeKernelRuns).map(([name, count]) => [
      name,
      count - before[name as keyof typeof nativeKernelRuns],
    ]),
  );
  return { cpu: results['cpu']!, wasm: results['wasm']!, runs };
}

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, t) => {
    expect(values.length).toBe(expected[t]!.length);
    let worst = 0;
    values.forEach(
      (v, i) => (worst = Math.max(worst, Math.abs(v - expected[t]![i]!) / (1 + Math.abs(expected[t]![i]!)))),
    );
    expect(worst).toBeLessThan(tolerance);
  });
}

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
  dilation: number;
}
const explicit = (top: number, bottom: number, left: number, right: number): Pad => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
];
const convCases: ConvCase[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 8, 7, 1], filter: [5, 5, 1, 2], stride: 2, pad: 'same', dilation: 1 },
  { x: [2, 10, 10, 8], filter: [3, 3, 8, 5], stride: 2, pad: 'valid', dilation: 1 },
  { x: [1, 7, 9, 4], filter: [3, 2, 4, 6], stride: 1, pad: explicit(1, 2, 0, 3), dilation: 1 },
  { x: [2, 6, 6, 16], filter: [1, 1, 16, 8], stride: 1, pad: 'valid', dilation: 1 }, // pointwise: x is its own patch matrix
  { x: [1, 11, 11, 2], filter: [3, 3, 2, 3], stride: 1, pad: 'same', dilation: 2 },
  // 160k patch floats an image: the native kernels take the batch in two chunks of images
  { x: [9, 20, 20, 16], filter: [5, 5, 16, 2], stride: 1, pad: 'same', dilation: 1 },
  // 1x1 with padding only below and right: larger than x, so not a plain product
  { x: [1, 4, 4, 3], filter: [1, 1, 3, 8], stride: 1, pad: explicit(0, 2, 0, 2), dilation: 1 },
];

(built || process.env['CI'] ? describe : describe.skip)('the native kernels (oneDNN) on the wasm heap', () => {
  beforeAll(() => selectBackend('wasm'));
  afterAll(() => selectBackend('wasm'));

  it('are built and loaded, from the platform package where npm installed it, else a source build', () => {
    const platform = existsSync(
      join(dirname(require.resolve(`${PLATFORM_PACKAGE}/package.json`)), 'stagegraph-native.node'),
    );
    const status = nativeKernelsStatus();
    expect(status).toMatchObject({ active: true, source: platform ? 'platform package' : 'source build' });
    expect(status.path).toBe(
      platform
        ? join(dirname(require.resolve(`${PLATFORM_PACKAGE}/package.json`)), 'stagegraph-native.node')
        : SOURCE_BUILD,
    );
    expect(describeBackend('wasm', 1)).toBe(
      `wasm (1 thread) + oneDNN kernels (${platform ? `platform package ${PLATFORM_PACKAGE}` : 'source build'})`,
    );
  });

  it('leave wasm on one thread unless asked for more: the heavy work runs natively on every core', async () => {
    expect((await selectBackend('wasm')).threads).toBe(1);
    expect((await selectBackend('wasm', { threads: 2 })).threads).toBe(2);
    await selectBackend('wasm');
  });

  describe.each(['primitive', 'sgemm'] as const)('on the %s path', (path) => {
    const [forward, input, filter] =
      path === 'primitive'
        ? ['dnnlConv2d', 'dnnlConv2dBackpropInput', 'dnnlConv2dBackpropFilter']
        : ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'];
    beforeAll(() => {
      nativeConvPath.use = path;
    });
    afterAll(() => {
      nativeConvPath.use = 'primitive';
    });

    it.each(convCases)(
      'convolve like the cpu backend, forward and both gradients: %j',
      async ({ x, filter: filterShape, stride, pad, dilation }) => {
        const [xs, fs] = [values(x), values(filterShape)];
        const convolve = (image: tf.Tensor, kernel: tf.Tensor) =>
          tf.conv2d(image as tf.Tensor4D, kernel as tf.Tensor4D, stride, pad, 'NHWC', dilation);
        const { cpu, wasm, runs } = await onBothBackends(() => {
          const [image, kernel] = [tf.tensor(xs, x), tf.tensor(fs, filterShape)];
          const out = convolve(image, kernel);
          // tfjs has no gradients for dilated convolutions
          if (dilation > 1) return [out];
          const fixed = new SeededRandom(5); // the same weighting on both backends
          const weighting = tf.tensor(
            Float32Array.from({ length: out.size }, () => fixed.next()),
            out.shape,
          );
          const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => convolve(a, b).mul(weighting).sum())([image, kernel]);
          return [out, ...grads];
        });
        expectClose(wasm, cpu);
        const withGradients = dilation === 1; // the forward runs again inside tf.grads
        const other = path === 'primitive' ? ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] : ['dnnlConv2d'];
        expect(runs).toMatchObject({
          [forward]: withGradients ? 2 : 1,
          [input]: +withGradients,
          [filter]: +withGradients,
          ...Object.fromEntries(other.map((name) => [name, 0])),
        });
      },
    );
  });

  it("convolve on every thread like the sgemm path at the seed CNN's second layer (the cpu backend takes minutes there)", async () => {
    // 40M multiply-adds: above the size under which the primitives run on the calling thread
    const [x, filter] = [[4, 14, 14, 32] as Shape4, [5, 5, 32, 64] as Shape4];
    const [xs, fs, ws] = [values(x), values(filter), values([4, 14, 14, 64])];
    await selectBackend('wasm');
    const both = (path: 'primitive' | 'sgemm') => {
      nativeConvPath.use = path;
      try {
        return tf.tidy(() => {
          const [image, kernel, weighting] = [
            tf.tensor4d(xs, x),
            tf.tensor4d(fs, filter),
            tf.tensor(ws, [4, 14, 14, 64]),
          ];
          const convolve = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
          const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => convolve(a, b).mul(weighting).sum())([image, kernel]);
          return [convolve(image, kernel), ...grads].map((t) => t.dataSync() as Float32Array);
        });
      } finally {
        nativeConvPath.use = 'primitive';
      }
    };
    const before = { ...nativeKernelRuns };
    const primitive = both('primitive');
    expect(nativeKernelRuns.dnnlConv2d - before.dnnlConv2d).toBe(2);
    expect(nativeKernelRuns.dnnlConv2dBackpropFilter - before.dnnlConv2dBackpropFilter).toBe(1);
    expect(nativeKernelRuns.dnnlConv2dBackpropInput - before.dnnlConv2dBackpropInput).toBe(1);
    expectClose(primitive, both('sgemm'));
  });

  it.each([
    // [x, window, stride, padding]: overlapping windows, windows that hang over the edge, batch 1
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[1, 7, 9, 5], 3, 2, 'same'],
    [[3, 9, 7, 17], 3, 1, 'valid'],
    [[1, 5, 5, 1], 2, 3, 'same'],
    [[2, 28, 28, 32], 2, 2, 'valid'], // the seed CNN's first pool
  ] as [Shape4, number, number, 'same' | 'valid'][])(
    'max-pool like the cpu backend, forward and gradient, by oneDNN: x %j, window %d, stride %d, %s',
    async (shape, window, stride, pad) => {
      const xs = values(shape);
      const { cpu, wasm, runs } = await onBothBackends(() => {
        const x = tf.tensor4d(xs, shape);
        const pool = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, window, stride, pad);
        const out = pool(x);
        const fixed = new SeededRandom(6);
        const weighting = tf.tensor(
          Float32Array.from({ length: out.size }, () => fixed.next()),
          out.shape,
        );
        return [out, tf.grad((input: tf.Tensor) => pool(input).mul(weighting).sum())(x)];
      });
      expectClose(wasm, cpu);
      expect(runs).toMatchObject({ dnnlMaxPool: 2, dnnlMaxPoolGrad: 1 });
    },
  );

  it("leaves a window of -Infinity to tfjs' kernels, which keep it (oneDNN gives the lowest float)", async () => {
    const [shape, xs] = [[1, 4, 4, 1] as Shape4, values([1, 4, 4, 1])];
    xs.fill(-Infinity, 0, 2); // the top-left 2x2 window: -Infinity alone
    xs.fill(-Infinity, 4, 6);
    const { cpu, wasm, runs } = await onBothBackends(() => {
      const x = tf.tensor4d(xs, shape);
      const pool = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
      return [pool(x), tf.grad((input: tf.Tensor) => pool(input).sum())(x)];
    });
    expect(wasm[0]![0]).toBe(-Infinity);
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
    expect(runs).toMatchObject({ dnnlMaxPool: 0, dnnlMaxPoolGrad: 0 });
  });

  it('passes a convolution without channels to tfjs, as the cpu backend computes it', async () => {
    const { cpu, wasm, runs } = await onBothBackends(() => [
      tf.conv2d(tf.zeros([1, 5, 5, 3]) as tf.Tensor4D, tf.zeros([3, 3, 3, 0]) as tf.Tensor4D, 1, 'same'),
    ]);
    expect(wasm[0]!.length).toBe(cpu[0]!.length);
    expect(runs).toMatchObject({ dnnlConv2d: 0, conv2d: 0 });
  });

  it.each([
    // the issue's case: dy is not the forward's output shape, so not theirs: the wasm kernel computes it
    [[1, 8, 8, 8], [8, 8, 8, 8], [1, 4, 4, 8], 'same', 0],
    [[1, 6, 5, 1], [3, 3, 2, 1], [1, 4, 3, 2], 'valid', 0],
    // an output larger than dy, consistent with it: theirs
    [[1, 4, 4, 2], [3, 3, 3, 2], [1, 6, 6, 3], 'valid', 1],
  ] as [Shape4, Shape4, Shape4, 'same' | 'valid', number][])(
    "give conv2dTranspose x %j, filter %j -> %j (%s) the cpu backend's values",
    async (xShape, fShape, outShape, pad, native) => {
      const [xs, fs] = [values(xShape), values(fShape)];
      const { cpu, wasm, runs } = await onBothBackends(() => [
        tf.conv2dTranspose(tf.tensor4d(xs, xShape), tf.tensor4d(fs, fShape), outShape, 1, pad),
      ]);
      expectClose(wasm, cpu);
      expect(runs['dnnlConv2dBackpropInput']).toBe(native);
      expect(runs['conv2dBackpropInput']).toBe(0);
    },
  );

  it('fuse the bias and relu of a convolution and of a dense layer', async () => {
    const [xs, fs, bs] = [values([2, 6, 6, 3]), values([3, 3, 3, 4]), values([4])];
    const [as, ws, ds] = [values([40, 30]), values([30, 50]), values([50])];
    const { cpu, wasm, runs } = await onBothBackends(() => [
      tf.fused.conv2d({
        x: tf.tensor4d(xs, [2, 6, 6, 3]),
        filter: tf.tensor4d(fs, [3, 3, 3, 4]),
        strides: 1,
        pad: 'same',
        bias: tf.tensor1d(bs),
        activation: 'relu',
      }),
      tf.fused.matMul({
        a: tf.tensor2d(as, [40, 30]),
        b: tf.tensor2d(ws, [30, 50]),
        bias: tf.tensor1d(ds),
        activation: 'relu',
      }),
      tf.fused.matMul({ a: tf.tensor2d(as, [40, 30]), b: tf.tensor2d(ws, [30, 50]), bias: tf.tensor1d(ds) }),
    ]);
    expectClose(wasm, cpu);
    expect(runs).toMatchObject({ dnnlConv2d: 1, conv2d: 0, matmul: 2 });
  });

  it.each([
    // single matrices above SMALL_PRODUCT multiply-adds (smaller ones stay in the SIMD module)
    ['plain', [30, 40], [40, 50], false, false],
    ['a transposed', [40, 30], [40, 50], true, false],
    ['b transposed', [30, 40], [50, 40], false, true],
    ['both transposed', [40, 30], [50, 40], true, true],
    ['few rows times a large transposed b (computed swapped)', [2, 400], [100, 400], false, true],
    ['batches', [2, 3, 4], [2, 4, 5], false, false],
    ['one matrix against a batch', [3, 4], [2, 4, 5], false, false],
  ] as [string, number[], number[], boolean, boolean][])(
    'multiply like the cpu backend: %s',
    async (_, aShape, bShape, transposeA, transposeB) => {
      const [as, bs] = [values(aShape), values(bShape)];
      const { cpu, wasm, runs } = await onBothBackends(() => [
        tf.matMul(tf.tensor(as, aShape), tf.tensor(bs, bShape), transposeA, transposeB),
      ]);
      expectClose(wasm, cpu);
      expect(runs['matmul']).toBe(1);
    },
  );

  it('writes the update over the variables where no other tensor shares their memory, and leaves a shared one as it was', async () => {
    await selectBackend('wasm');
    // made in tidy: the tensor it starts from is disposed, so only the variable holds the memory
    const w = tf.tidy(() => tf.variable(tf.tensor2d([1, -2, 3, -4], [2, 2])));
    const gradient = tf.tensor2d([0.5, 0.5, -0.5, -0.5], [2, 2]);
    const optimizer = adam(0.1);
    const before = adamRuns.inPlace;
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    expect(adamRuns.inPlace - before).toBe(1);
    const afterOne = Array.from(w.dataSync());
    // a clone shares the variable's memory (the sharing Identity): the next update must not write into it
    const snapshot = tf.clone(w);
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    expect(adamRuns.inPlace - before).toBe(1);
    expect(Array.from(snapshot.dataSync())).toEqual(afterOne);
    expect(Array.from(w.dataSync())).not.toEqual(afterOne);
    snapshot.dispose();
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    expect(adamRuns.inPlace - before).toBe(2);
    tf.dispose([w, gradient]);
    optimizer.dispose();
  });

  it("predict through XNNPACK's cached operators with weights updated in place like tfjs on cpu (the cache is dropped)", async () => {
    // predicting, an elu dense layer runs tfjs' fused product, XNNPACK, which keeps the packed
    // weights per tensor id; training between two predictions updates those weights in place
    const run = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            inputShape: [12],
            units: 5,
            activation: 'elu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
          }),
        ],
      });
      model.compile({ optimizer: adam(0.05), loss: 'meanSquaredError' });
      const x = tf.tensor2d(
        Array.from({ length: 8 * 12 }, (_, i) => Math.sin(i * 0.3)),
        [8, 12],
      );
      const y = tf.tensor2d(
        Array.from({ length: 40 }, (_, i) => (1 + Math.cos(i)) / 2),
        [8, 5],
      );
      const predictions: number[] = [];
      for (let round = 0; round < 3; round++) {
        await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
        predictions.push(...tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
      }
      tf.dispose([x, y]);
      model.optimizer.dispose(); // its moments are variables: left over, they break a later engine reset
      model.dispose();
      return Float32Array.from(predictions);
    };
    const reference = await run('cpu');
    const before = adamRuns.inPlace;
    const ours = await run('wasm');
    expect(adamRuns.inPlace).toBeGreaterThan(before);
    expectClose([ours], [reference], 1e-5);
  });

  it("broadcast a gradient of another shape as tfjs' Adam does, and refuse one the kernel would read past", async () => {
    await selectBackend('wasm');
    const w = tf.tidy(() => tf.variable(tf.ones([20000])));
    const optimizer = adam(0.1);
    optimizer.applyGradients([{ name: w.name, tensor: tf.ones([]) }]);
    expect(Array.from(w.dataSync().slice(0, 2))).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.9, 5)]);
    const attrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 0.1, correction2: 0.001 };
    expect(() =>
      tf.tidy(() =>
        tf
          .engine()
          .runKernel(
            ADAM_UPDATE,
            { value: tf.ones([20000]), gradient: tf.ones([10]), m: tf.zeros([20000]), v: tf.zeros([20000]) },
            attrs as unknown as tf.NamedAttrMap,
          ),
      ),
    ).toThrow("StageGraphAdamUpdate: gradient must have the value's shape [20000], got [10]");
    w.dispose();
    optimizer.dispose();
  });

  it("update a large variable by Adam natively, in place, giving tfjs Adam's weights on cpu", async () => {
    // above NATIVE_ADAM_MIN (16,384 weights): smaller ones stay in the SIMD module
    const shape = [160, 128];
    const [start, gradients] = [values(shape), [values(shape), values(shape), values(shape)]];
    const threeSteps = async (backend: string, optimizer: tf.Optimizer) => {
      await tf.setBackend(backend);
      const w = tf.tidy(() => tf.variable(tf.tensor(start, shape)));
      for (const g of gradients)
        tf.tidy(() => optimizer.applyGradients([{ name: w.name, tensor: tf.tensor(g, shape) }]));
      const result = w.dataSync() as Float32Array;
      w.dispose();
      optimizer.dispose();
      return result;
    };
    const reference = await threeSteps('cpu', tf.train.adam(0.01));
    const before = { native: nativeKernelRuns.adam, inPlace: adamRuns.inPlace };
    const native = await threeSteps('wasm', adam(0.01));
    expect(nativeKernelRuns.adam - before.native).toBe(3);
    expect(adamRuns.inPlace - before.inPlace).toBe(3);
    expectClose([native], [reference], 1e-6);
  });

  it('keep the heap whole while signals arrive during their calls (a JIT sgemm kernel runs with its stack pointer in the heap)', async () => {
    // dy W^T of the seed CNN's dense layer, the product whose oneDNN kernel let 10 signals a second
    // corrupt glibc's heap (abort within seconds) before the kernels blocked signals while computing
    const [dys, ws] = [values([32, 1024]), values([3136, 1024])];
    // SIGCHLD: libuv handles it in every process that spawns a child (this one, below), so each
    // arrives as a handler's frame on whatever thread it interrupts
    const sender = spawn('bash', ['-c', `while kill -CHLD ${process.pid} 2>/dev/null; do sleep 0.001; done`], {
      stdio: 'ignore',
    });
    const before = nativeKernelRuns.matmul;
    let products = 0;
    try {
      await selectBackend('wasm');
      const [dy, w] = [tf.tensor2d(dys, [32, 1024]), tf.tensor2d(ws, [3136, 1024])];
      const start = performance.now();
      while (performance.now() - start < 4000) {
        tf.dispose(tf.matMul(dy, w, false, true));
        if (++products % 20 === 0) await new Promise((resolve) => setImmediate(resolve)); // the handler runs
      }
      tf.dispose([dy, w]);
    } finally {
      sender.kill();
    }
    expect(nativeKernelRuns.matmul - before).toBe(products);
    const { cpu, wasm } = await onBothBackends(() => [
      tf.matMul(tf.tensor2d(dys, [32, 1024]), tf.tensor2d(ws, [3136, 1024]), false, true),
    ]);
    expectClose(wasm, cpu);
  });

  it('agree with the cpu backend at the edges: empty batches, NaN through relu, inner sizes that differ', async () => {
    const { cpu, wasm } = await onBothBackends(() => [
      tf.matMul(tf.ones([2, 0]), tf.ones([0, 3])), // zeros
      tf.fused.matMul({ a: tf.tensor2d([NaN, 1, 2, 3], [2, 2]), b: tf.ones([2, 40]), activation: 'relu' }),
    ]);
    expect(wasm.map((v) => Array.from(v))).toEqual(cpu.map((v) => Array.from(v)));
    // a convolution's relu: NaN stays NaN on the sgemm path; oneDNN's fused relu makes it 0, as
    // TensorFlow's oneDNN build does (a separate pass to keep it would cost a third of the layer)
    const convolveNaN = () => [
      tf.fused.conv2d({
        x: tf.tensor4d([NaN, 1, 2, 3], [1, 2, 2, 1]),
        filter: tf.ones([1, 1, 1, 4]),
        strides: 1,
        pad: 'valid',
        activation: 'relu',
      }),
    ];
    const primitive = await onBothBackends(convolveNaN);
    expect(Array.from(primitive.wasm[0]!)).toEqual([0, 0, 0, 0, ...Array.from(primitive.cpu[0]!).slice(4)]);
    expect(primitive.runs['dnnlConv2d']).toBe(1);
    nativeConvPath.use = 'sgemm';
    const sgemm = await onBothBackends(convolveNaN).finally(() => (nativeConvPath.use = 'primitive'));
    expect(Array.from(sgemm.wasm[0]!)).toEqual(Array.from(sgemm.cpu[0]!));
    expect(sgemm.runs['conv2d']).toBe(1);
    await tf.setBackend('wasm');
    // an empty batch: an empty result (tfjs' own wasm kernel divides by zero here, its cpu kernel returns 8 NaNs)
    expect(tf.tidy(() => tf.matMul(tf.zeros([0, 2, 3]), tf.zeros([3, 4])).shape)).toEqual([0, 2, 4]);
    expect(() => tf.matMul(tf.ones([2, 5]), tf.ones([4, 300]))).toThrow();
  });

  it('train a small conv net like the cpu backend, and again after an engine reset', async () => {
    const train = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend);
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [8, 8, 2],
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: init(1),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(2) }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      const data = new SeededRandom(4);
      const x = tf.tensor4d(
        Array.from({ length: 16 * 128 }, () => data.next()),
        [16, 8, 8, 2],
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
      const history = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
      tf.dispose([x, y]);
      model.dispose();
      return history.history['loss'] as number[];
    };
    const reference = await train('cpu');
    const before = nativeKernelRuns.dnnlConv2dBackpropFilter;
    const first = await train('wasm');
    expect(nativeKernelRuns.dnnlConv2dBackpropFilter).toBeGreaterThan(before);
    tf.engine().reset();
    const between = nativeKernelRuns.dnnlConv2dBackpropFilter;
    const again = await train('wasm');
    expect(nativeKernelRuns.dnnlConv2dBackpropFilter).toBeGreaterThan(between);
    first.forEach((loss, i) => {
      expect(loss).toBeCloseTo(reference[i]!, 4);
      expect(again[i]).toBeCloseTo(loss, 6);
    });
  });
});
