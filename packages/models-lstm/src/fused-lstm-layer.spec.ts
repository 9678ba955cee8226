import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { disposeModel, loadLayersModel, saveLayersModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLstmForecaster } from './build-forecaster.js';
import { FusedLstm } from './fused-lstm-layer.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-lstm-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('FusedLstm', () => {
  it('trains to the same weights as the tfjs-layers LSTM for the same seed', async () => {
    const x = tf.randomUniform([16, 6, 1], 0, 1, 'float32', 1);
    const y = tf.randomUniform([16, 1], 0, 1, 'float32', 2);
    const trained = async (implementation: 'fused' | 'layers') => {
      const model = buildLstmForecaster({
        seqLength: 6,
        units: 5,
        activation: 'relu',
        learningRate: 0.01,
        seed: 4,
        implementation,
      });
      await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      disposeModel(model);
      return weights;
    };
    const [fused, layers] = [await trained('fused'), await trained('layers')];
    fused.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(layers[i][j], 4)));
    tf.dispose([x, y]);
  });

  it('saves as a standard LSTM; loaded here it is fused again and predicts bit for bit as the trained model', async () => {
    const model = buildLstmForecaster({ seqLength: 4, units: 3, activation: 'relu', learningRate: 0.01, seed: 1 });
    await saveLayersModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers[0].class_name).toBe('LSTM');
    const loaded = await loadLayersModel(dir);
    expect(loaded.layers[0]).toBeInstanceOf(FusedLstm);
    const input = tf.randomUniform([2, 4, 1], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    disposeModel(model);
    disposeModel(loaded);
  });

  it('loads with stock tfjs (its own LSTM class) and predicts the same', async () => {
    const model = buildLstmForecaster({ seqLength: 4, units: 3, activation: 'relu', learningRate: 0.01, seed: 1 });
    await saveLayersModel(model, dir);
    const stock = Object.getPrototypeOf(FusedLstm) as typeof FusedLstm;
    tf.serialization.registerClass(
      stock as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    ); // as in a process without this package
    let loaded: tf.LayersModel;
    try {
      loaded = await loadLayersModel(dir);
    } finally {
      tf.serialization.registerClass(
        FusedLstm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
      );
    }
    expect(loaded.layers[0]).not.toBeInstanceOf(FusedLstm);
    const input = tf.randomUniform([2, 4, 1], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i], 5));
    tf.dispose([input, a, b]);
    disposeModel(model);
    disposeModel(loaded);
  });

  it('falls back to the step-by-step LSTM for configurations it does not fuse', () => {
    const layer = new FusedLstm({ units: 2, returnSequences: true, inputShape: [3, 1] });
    const out = layer.apply(tf.ones([1, 3, 1])) as tf.Tensor;
    expect(out.shape).toEqual([1, 3, 2]);
    out.dispose();
    layer.dispose();
  });
});
