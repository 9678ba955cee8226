import * as tf from './tf.js';
import '@tensorflow/tfjs-backend-wasm';
import { useWasmTrainingKernels } from './wasm-kernels/register-wasm-kernels.js';

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  backend: BackendName;
  /** Why faster backends were passed over, for the run log. */
  skipped: string[];
}

/** Native TensorFlow is an optional peer dependency: it registers the 'tensorflow' backend when it loads. */
async function loadNative(): Promise<void> {
  const specifier = '@tensorflow/tfjs-node';
  await import(specifier);
}

/**
 * Picks the fastest backend that works: native `tensorflow` (when @tensorflow/tfjs-node is
 * installed and loads), then `wasm`, then the pure-JS `cpu`. `preferred` forces one and fails
 * loudly when it cannot start.
 */
export async function selectBackend(preferred?: BackendName): Promise<BackendChoice> {
  const skipped: string[] = [];
  for (const name of preferred ? [preferred] : BACKENDS) {
    try {
      if (name === 'tensorflow') await loadNative();
      if (!(await tf.setBackend(name))) throw new Error('it did not initialise');
      await tf.ready();
      // The cpu backend nags about tfjs-node on first use; the CLI already says which backend runs.
      if (name === 'cpu') Object.assign(tf.backend(), { firstUse: false });
      // wasm cannot train convolutions without these, and trains dense layers faster with them
      if (name === 'wasm') useWasmTrainingKernels(true);
      return { backend: name, skipped };
    } catch (error) {
      const reason = name === 'tensorflow' ? '@tensorflow/tfjs-node is not installed or did not load' : (error as Error).message;
      if (preferred) throw new Error(`backend "${name}" is not available: ${reason}`);
      skipped.push(`${name}: ${reason}`);
    }
  }
  throw new Error(`no tensor backend could start (${skipped.join('; ')})`);
}

export function currentBackend(): string {
  return tf.getBackend();
}
