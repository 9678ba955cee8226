import { createRequire } from 'node:module';
import type * as Tf from './tf.js';

let loaded: typeof Tf | undefined;

/** Called by tf.ts as it loads: from then on `tfjs()` answers without importing anything. */
export function tfjsLoaded(namespace: typeof Tf): void {
  loaded = namespace;
}

/**
 * The TensorFlow.js namespace, for synchronous code that only ever meets tfjs values (a check on a
 * model): the one tf.ts loaded, or else @tensorflow/tfjs required now (a plugin that made its model
 * with tfjs directly; Node shares that module between require and import).
 */
export function tfjs(): typeof Tf {
  return (loaded ??= createRequire(import.meta.url)('@tensorflow/tfjs') as typeof Tf);
}
