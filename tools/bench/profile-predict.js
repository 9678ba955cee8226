// `node tools/bench/profile-predict.js [--batch N] [--calls N] [--native 0|1]`: where seed-CNN
// prediction on wasm spends its time, per kernel (tf.profile), beside the wall time of a call;
// the gap is tfjs' own overhead (layers, engine bookkeeping, reading the result back).
import { disposeModel, selectBackend, tf, useNativeKernels } from '@stagegraph/core-tensor';
import { images, seedCnn } from './workloads.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const batchSize = Number(option('--batch', '256'));
const calls = Number(option('--calls', batchSize === 1 ? '50' : '5'));
const native = option('--native', '1') !== '0';
if (![batchSize, calls].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('profile-predict: expected --batch and --calls to be positive integers');
  process.exit(2);
}
useNativeKernels(native);
const { threads } = await selectBackend('wasm');
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const model = seedCnn();
const { x, y } = images(batchSize, 2);
const predict = () => {
  const out = model.predict(x, { batchSize });
  out.dataSync();
  out.dispose();
};
predict(); // warm-up: primitives and XNNPACK operators are created on first use
let wallMs = Infinity;
for (let i = 0; i < calls; i++) {
  const start = performance.now();
  predict();
  wallMs = Math.min(wallMs, performance.now() - start);
}
const kernels = {};
for (let i = 0; i < calls; i++) {
  const profile = await tf.profile(predict);
  // fused ops are listed twice, as the op (name__op) and as its kernel: the kernel is kept
  for (const kernel of profile.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const entry = (kernels[kernel.name] ??= { calls: 0, ms: 0 });
    entry.calls += 1 / calls;
    entry.ms += kernel.kernelTimeMs / calls;
  }
}
const total = Object.values(kernels).reduce((sum, k) => sum + k.ms, 0);
console.log(`seed CNN predict, batch ${batchSize}, wasm ${threads} thread(s), native ${native ? 'on' : 'off'}`);
console.log(`best wall ms per call ${wallMs.toFixed(2)} (${((batchSize * 1000) / wallMs).toFixed(0)} samples/s)`);
for (const [name, k] of Object.entries(kernels).sort((a, b) => b[1].ms - a[1].ms))
  console.log(`${name.padEnd(24)} ${String(Math.round(k.calls)).padStart(4)} ${k.ms.toFixed(3).padStart(9)} ms`);
console.log(`${'all kernels'.padEnd(29)} ${total.toFixed(3).padStart(9)} ms`);
tf.dispose([x, y]);
disposeModel(model);
