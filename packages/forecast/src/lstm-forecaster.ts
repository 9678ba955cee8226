import { DataError } from '@stagegraph/pipeline';
import { disposeModel, fitSeeded, tf } from '@stagegraph/core-tensor';
import { buildLstmForecaster } from '@stagegraph/models-lstm';
import { MinMaxScaler, StandardScaler } from '@stagegraph/preprocess';
import type { Forecaster } from './forecaster.js';
import { needsPositiveLevels, nextLevel, step, toTargetSeries, type Target } from './targets.js';

export interface LstmForecasterOptions {
  seqLength: number;
  /** One recurrent layer's cells, or a stack's. */
  units: number | readonly number[];
  cell?: 'lstm' | 'gru';
  dropout?: number;
  /** Targets predicted at once (direct multi-step); longer horizons chain such blocks. Default 1. */
  outputSteps?: number;
  activation: 'relu' | 'tanh' | 'linear';
  target: Target;
  /** Fitted on each fold's training targets only. */
  scaler: 'minmax' | 'standard' | 'none';
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  validationSplit: number;
}

type Scaler = { transform(v: ArrayLike<number>): number[]; inverseTransform(v: ArrayLike<number>): number[] };
const identity: Scaler = { transform: (v) => Array.from(v), inverseTransform: (v) => Array.from(v) };

/**
 * The LSTM + Dense(1) of models-lstm as a backtest forecaster: each fold turns its training levels
 * into targets, fits the scaler on them, trains on windows of `seqLength` targets (seeded, early
 * stopping), and forecasts step by step, feeding each predicted level back.
 */
export function lstmForecaster(name: string, options: LstmForecasterOptions): Forecaster {
  const { seqLength, target } = options;
  /** The model's input for the window ending at the last level of `levels` (targets, or ratios to the last level). */
  const inputWindow = (levels: readonly number[], scaler: Scaler) =>
    target === 'window-normalised'
      ? scaler.transform(levels.slice(-seqLength).map((v) => step(levels.at(-1)!, v, target)))
      : scaler.transform(toTargetSeries(levels.slice(-(seqLength + (target === 'level' ? 0 : 1))), target));
  return {
    name,
    kind: 'learned',
    async fit(train, context) {
      const levels = train.values;
      if (needsPositiveLevels(target) && levels.some((v) => !(v > 0))) throw new DataError(`${name}: a ${target} target needs positive values, the training period has one <= 0`);
      const span = seqLength + (target === 'level' || target === 'window-normalised' ? 0 : 1);
      const k = options.outputSteps ?? 1;
      const samples = levels.length - span - (k - 1);
      if (samples < 2) throw new DataError(`${name}: expected more than ${span + k} training values for windows of ${seqLength} and ${k} steps out, got ${levels.length}`);
      const targets = toTargetSeries(levels, target === 'window-normalised' ? 'percent-change' : target);
      const scaler: Scaler = options.scaler === 'minmax' ? MinMaxScaler.fit(targets) : options.scaler === 'standard' ? StandardScaler.fit(targets) : identity;
      const xs = new Float32Array(samples * seqLength);
      const ys = new Float32Array(samples * k);
      for (let s = 0; s < samples; s++) {
        const end = s + span; // the window's levels are [s, end), its targets the steps to levels[end .. end + k)
        xs.set(inputWindow(levels.slice(s, end), scaler), s * seqLength);
        for (let j = 0; j < k; j++) ys[s * k + j] = scaler.transform([step(levels[end - 1 + j], levels[end + j], target)])[0];
      }
      const model = buildLstmForecaster({
        seqLength,
        units: options.units,
        cell: options.cell,
        dropout: options.dropout,
        outputs: k,
        activation: options.activation,
        learningRate: options.learningRate,
        seed: context.seed,
      });
      const x = tf.tensor3d(xs, [samples, seqLength, 1]);
      const y = tf.tensor2d(ys, [samples, k]);
      try {
        await fitSeeded(model, x, y, { ...options, seed: context.seed, signal: context.signal });
      } catch (error) {
        disposeModel(model);
        throw error;
      } finally {
        tf.dispose([x, y]);
      }
      return {
        forecast(history, horizon) {
          const known = [...history];
          while (known.length - history.length < horizon) {
            const block = tf.tidy(() => Array.from((model.predict(tf.tensor3d(inputWindow(known, scaler), [1, seqLength, 1])) as tf.Tensor).dataSync()));
            for (const value of scaler.inverseTransform(block)) known.push(nextLevel(known.at(-1)!, value, target));
          }
          return known.slice(history.length, history.length + horizon);
        },
        dispose: () => disposeModel(model),
      };
    },
  };
}
