import { buildInScope, SeededRandom, tf } from '@stagegraph/core-tensor';

export interface ForecasterOptions {
  seqLength: number;
  /** Features per time step (1 for a single price series). */
  features?: number;
  units: number;
  activation: 'relu' | 'tanh' | 'linear';
  learningRate: number;
  seed: number;
}

/**
 * The origin recipe's forecaster: LSTM(units, activation) then Dense(1), Adam on mean squared
 * error. Initializers are seeded so the same seed gives the same starting weights.
 */
export function buildLstmForecaster(options: ForecasterOptions): tf.LayersModel {
  const random = new SeededRandom(options.seed);
  const model = buildInScope(() =>
    tf.sequential({
      name: 'lstm_forecaster',
      layers: [
        tf.layers.lstm({
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
