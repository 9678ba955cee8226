import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  disposeModel,
  loadLayersModel,
  saveLayersModel,
  selectBackend,
  simdKernelRuns,
  tf,
} from '@stagegraph/core-tensor';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLstmForecaster } from './build-forecaster.js';
import { FusedGru } from './fused-gru-layer.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm'); // the backend with the GRU kernels
  dir = await mkdtemp(join(tmpdir(), 'sg-gru-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const gruRuns = () => [simdKernelRuns.gru_forward, simdKernelRuns.gru_backward];
const gru = (options: { seqLength: number; units: number; implementation?: 'fused' | 'layers' }) =>
  buildLstmForecaster({ ...options, cell: 'gru', activation: 'relu', learningRate: 0.01, seed: 4 });

describe('FusedGru', () => {
  it("trains to the same weights as tfjs-layers' GRU for the same seed, in the GRU kernels", async () => {
    const x = tf.randomUniform([16, 6, 1], 0, 1, 'float32', 1);
    const y = tf.randomUniform([16, 1], 0, 1, 'float32', 2);
    const trained = async (implementation: 'fused' | 'layers') => {
      const model = gru({ seqLength: 6, units: 5, implementation });
      await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      disposeModel(model);
      return weights;
    };
    const before = gruRuns();
    const fused = await trained('fused');
    const runs = gruRuns().map((n, i) => n - before[i]!);
    const layers = await trained('layers');
    expect(gruRuns()).toEqual(before.map((n, i) => n + runs[i]!)); // the stock GRU ran none
    expect(runs).toEqual([4, 4]); // 2 epochs of 2 batches, one call each way per batch
    fused.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(layers[i]![j]!, 4)));
    tf.dispose([x, y]);
  });

  it('saves as a standard GRU; loaded here it is fused again and predicts bit for bit as the trained model', async () => {
    const model = gru({ seqLength: 4, units: 3 });
    await saveLayersModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers[0].class_name).toBe('GRU');
    const loaded = await loadLayersModel(dir);
    expect(loaded.layers[0]).toBeInstanceOf(FusedGru);
    const input = tf.randomUniform([2, 4, 1], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    disposeModel(model);
    disposeModel(loaded);
  });

  it('loads with stock tfjs (its own GRU class) and predicts the same', async () => {
    const model = gru({ seqLength: 4, units: 3 });
    await saveLayersModel(model, dir);
    const register = (constructor: unknown) =>
      tf.serialization.registerClass(
        constructor as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
      );
    register(Object.getPrototypeOf(FusedGru)); // as in a process without this package
    let loaded: tf.LayersModel;
    try {
      loaded = await loadLayersModel(dir);
    } finally {
      register(FusedGru);
    }
    expect(loaded.layers[0]).not.toBeInstanceOf(FusedGru);
    const input = tf.randomUniform([2, 4, 1], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i]!, 5));
    tf.dispose([input, a, b]);
    disposeModel(model);
    disposeModel(loaded);
  });

  it.each([
    ['returning sequences', { returnSequences: true }],
    ['with recurrent dropout', { recurrentDropout: 0.5 }],
    ["with tfjs' default hardSigmoid gates", { recurrentActivation: 'hardSigmoid' }],
  ] as const)('takes the step-by-step GRU %s', (_, args) => {
    const before = gruRuns();
    const layer = new FusedGru({ units: 2, recurrentActivation: 'sigmoid', ...args, inputShape: [3, 1] });
    const out = layer.apply(tf.ones([1, 3, 1])) as tf.Tensor;
    expect(out.shape).toEqual('returnSequences' in args ? [1, 3, 2] : [1, 2]);
    expect(gruRuns()).toEqual(before);
    out.dispose();
    layer.dispose();
  });

  it('takes the step-by-step GRU on a backend without the kernels (cpu)', async () => {
    await selectBackend('cpu');
    try {
      const before = gruRuns();
      const layer = new FusedGru({ units: 2, recurrentActivation: 'sigmoid', inputShape: [3, 1] });
      const out = layer.apply(tf.ones([1, 3, 1])) as tf.Tensor;
      expect(out.shape).toEqual([1, 2]);
      expect(gruRuns()).toEqual(before);
      out.dispose();
      layer.dispose();
    } finally {
      await selectBackend('wasm');
    }
  });
});
