import * as tf from '../tf.js';
import { adamUpdateConfig } from './AdamUpdate.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { gruBackwardConfig, gruForwardConfig } from './GruSequence.js';
import { identityConfig } from './Identity.js';
import { rememberStockKernel } from './kernel-calls.js';
import { lstmBackwardConfig, lstmForwardConfig } from './LstmSequence.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { nativeForwardConfigs } from './NativeForward.js';
import { reluBiasGradConfig } from './ReluBiasGrad.js';
import { sumConfig } from './Sum.js';

/** Our training kernels for the wasm backend: each one added where missing or replacing a slower one. */
export const WASM_TRAINING_KERNELS: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  batchMatMulConfig,
  maxPoolGradConfig,
  adamUpdateConfig,
  lstmForwardConfig,
  lstmBackwardConfig,
  gruForwardConfig,
  gruBackwardConfig,
  sumConfig,
  identityConfig,
  reluBiasGradConfig,
  ...nativeForwardConfigs,
];

const replaced = new Map<string, tf.KernelConfig | undefined>();

/**
 * Installs (or, with false, removes) the training kernels. Removing puts the stock kernels back,
 * so a benchmark can compare both in one process.
 */
export function useWasmTrainingKernels(enabled = true): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const installed = replaced.has(config.kernelName);
    if (enabled === installed) continue;
    if (enabled) {
      const stock = tf.getKernel(config.kernelName, 'wasm');
      if (stock) {
        rememberStockKernel(config.kernelName);
        tf.unregisterKernel(config.kernelName, 'wasm');
      }
      replaced.set(config.kernelName, stock);
      // The stock setupFunc binds the wasm functions its kernel (which ours calls) uses; tfjs runs it
      // again whenever a wasm backend is created, so after an engine reset ours keep working.
      tf.registerKernel({ ...config, setupFunc: config.setupFunc ?? stock?.setupFunc });
    } else {
      tf.unregisterKernel(config.kernelName, 'wasm');
      const stock = replaced.get(config.kernelName);
      if (stock) tf.registerKernel(stock);
      replaced.delete(config.kernelName);
    }
  }
}

export function wasmTrainingKernelsInstalled(): boolean {
  return replaced.size > 0;
}
