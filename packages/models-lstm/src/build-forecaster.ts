import { adam, buildInScope, SeededRandom, seededDropout, tf } from '@stagegraph/core-tensor';
import { FusedGru } from './fused-gru-layer.js';
import { FusedLstm } from './fused-lstm-layer.js';
import type { RecurrentParams } from './recurrent-params.js';

/** The network's params (units: one layer's cells, or a stack's: `[64, 32]`, the first returning sequences), as the stages' schema gives them; cell and dropout default to LSTM and none. */
export interface ForecasterOptions
  extends Pick<RecurrentParams, 'activation' | 'learningRate'>, Partial<Pick<RecurrentParams, 'cell' | 'dropout'>> {
  seqLength: number;
  /** Features per time step (1 for a single price series). */
  features?: number;
  units: RecurrentParams['units'] | readonly number[];
  /** Values predicted at once (a direct multi-step forecast); default 1. */
  outputs?: number;
  seed: number;
  /** 'fused' (default): one op per sequence where the layer allows; 'layers': tfjs-layers' step-by-step LSTM or GRU (same math, for comparison). */
  implementation?: 'fused' | 'layers';
}

/**
 * The origin recipe's forecaster, grown: recurrent layer(s) (LSTM by default, GRU on request) with
 * optional dropout, then Dense(outputs), Adam on mean squared error. With the defaults it is the
 * origin's LSTM(units, activation) + Dense(1). Initializers and dropout are seeded, so the same
 * seed gives the same starting weights.
 */
export function buildLstmForecaster(options: ForecasterOptions): tf.LayersModel {
  const random = new SeededRandom(options.seed);
  const sizes = typeof options.units === 'number' ? [options.units] : [...options.units];
  if (sizes.length === 0) throw new Error('expected at least one recurrent layer, got units []');
  type RecurrentArgs = Parameters<typeof tf.layers.lstm>[0];
  const recurrent = (args: RecurrentArgs): tf.layers.Layer => {
    if (options.implementation === 'layers') return options.cell === 'gru' ? tf.layers.gru(args) : tf.layers.lstm(args);
    return options.cell === 'gru' ? new FusedGru(args) : new FusedLstm(args);
  };
  const model = buildInScope(() => {
    const layers: tf.layers.Layer[] = [];
    sizes.forEach((units, i) => {
      layers.push(
        recurrent({
          units,
          activation: options.activation,
          // Keras' defaults (tfjs-layers still defaults to hardSigmoid and no forget-gate bias of 1)
          recurrentActivation: 'sigmoid',
          // tfjs's GRU applies the reset gate before the matrix product only (Keras' reset_after=False)
          ...(options.cell === 'gru' ? {} : { unitForgetBias: true }),
          returnSequences: i < sizes.length - 1,
          ...(i === 0 ? { inputShape: [options.seqLength, options.features ?? 1] } : {}),
          kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: random.nextInt() }),
        }),
      );
      if (options.dropout) layers.push(seededDropout({ rate: options.dropout, seed: random.nextInt() }));
    });
    layers.push(
      tf.layers.dense({
        units: options.outputs ?? 1,
        kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextInt() }),
      }),
    );
    return tf.sequential({ name: 'lstm_forecaster', layers });
  });
  model.compile({ optimizer: adam(options.learningRate), loss: 'meanSquaredError' });
  return model;
}
