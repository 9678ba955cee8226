import { buildInScope, SeededRandom, tf } from '@stagegraph/core-tensor';
import { FusedLstm } from './fused-lstm-layer.js';

export interface ForecasterOptions {
  seqLength: number;
  /** Features per time step (1 for a single price series). */
  features?: number;
  units: number;
  activation: 'relu' | 'tanh' | 'linear';
  learningRate: number;
  seed: number;
  /** 'fused' (default): one op per sequence; 'layers': tfjs-layers' step-by-step LSTM (same math, for comparison). */
  implementation?: 'fused' | 'layers';
}

/**
 * The origin recipe's forecaster: LSTM(units, activation) then Dense(1), Adam on mean squared
 * error. Initializers are seeded so the same seed gives the same starting weights.
 */
export function buildLstmForecaster(options: ForecasterOptions): tf.LayersModel {
  const random = new SeededRandom(options.seed);
  type LstmArgs = Parameters<typeof tf.layers.lstm>[0];
  const Lstm = options.implementation === 'layers' ? (args: LstmArgs) => tf.layers.lstm(args) : (args: LstmArgs) => new FusedLstm(args);
  const model = buildInScope(() =>
    tf.sequential({
      name: 'lstm_forecaster',
      layers: [
        Lstm({
          units: options.units,
          activation: options.activation,
          // Keras' defaults (tfjs-layers still defaults to hardSigmoid and no forget-gate bias of 1)
          recurrentActivation: 'sigmoid',
          unitForgetBias: true,
          inputShape: [options.seqLength, options.features ?? 1],
          kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: random.nextInt() }),
        }),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }) }),
      ],
    }),
  );
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });
  return model;
}
