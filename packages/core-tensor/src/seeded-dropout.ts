import { SeededRandom } from '@stagegraph/pipeline';
import * as tf from './tf.js';

/**
 * Dropout that draws a new mask at every training step, from a sequence `seed` fixes. tfjs'
 * Dropout with a seed seeds a fresh generator on each call, so it drops the same units at every
 * step: a thinner network, not dropout. Here each call reads the next seed of the sequence; the
 * saved config keeps `seed` (dropout does nothing when predicting).
 */
export function seededDropout(args: { rate: number; seed: number; inputShape?: number[] }): tf.layers.Layer {
  const layer = tf.layers.dropout(args);
  const steps = new SeededRandom(args.seed);
  const getConfig = layer.getConfig.bind(layer);
  Object.defineProperty(layer, 'seed', { get: () => steps.nextInt(), configurable: true });
  layer.getConfig = () => ({ ...getConfig(), seed: args.seed });
  return layer;
}
