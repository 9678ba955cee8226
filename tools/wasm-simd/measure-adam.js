#!/usr/bin/env node
// Issue 14's route past XNNPACK, measured: a kernel written in C with WebAssembly SIMD, compiled by
// Debian's clang 14 (no emscripten), running zero-copy on tfjs-backend-wasm's own heap (it imports
// the backend's WebAssembly.Memory and takes tensors' heap offsets). Checks it against tfjs ops on
// the seed CNN's 3,274,634 weights and times both. Not wired into training yet.
//   apt-get install clang lld && node tools/wasm-simd/measure-adam.js
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selectBackend, tf } from '@stagegraph/core-tensor';

const source = fileURLToPath(new URL('adam.c', import.meta.url));
const binary = fileURLToPath(new URL('../../bench-results/adam.wasm', import.meta.url));
try {
  execFileSync('clang', ['--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-Wl,--no-entry', '-Wl,--import-memory', '-o', binary, source], { stdio: 'inherit' });
} catch {
  console.error('clang: expected clang 14+ with wasm-ld (Debian: apt-get install clang lld), got none that builds adam.c');
  process.exit(2);
}

await selectBackend('wasm', { threads: 1 }); // the single-thread build: its memory is the module's own export
const backend = tf.backend();
const { instance } = await WebAssembly.instantiate(readFileSync(binary), { env: { memory: backend.wasm.asm.memory } });
const n = 3_274_634;
const [w0, g, m0, v0] = [tf.randomNormal([n]), tf.randomNormal([n], 0, 1e-2), tf.fill([n], 1e-3), tf.fill([n], 1e-5)];
const [w1, m1, v1] = [0, 1, 2].map(() => tf.zeros([n]));
const offset = (t) => backend.dataIdMap.get(t.dataId).memoryOffset; // the tensor's byte offset in the heap
const [beta1, beta2, t] = [0.9, 0.999, 3];
const step = (-0.001 * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
const epsilon = 1e-7 * Math.sqrt(1 - beta2 ** t);
const simd = () => instance.exports.adam(offset(w0), offset(g), offset(m0), offset(v0), offset(w1), offset(m1), offset(v1), n, beta1, beta2, step, epsilon);
const ops = () =>
  tf.tidy(() => {
    const m = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
    return [tf.add(tf.div(tf.mul(m, step), tf.add(tf.sqrt(v), epsilon)), w0), m, v].map((x) => tf.keep(x));
  });

simd();
const reference = ops();
const maxDiff = (a, b) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
console.log(
  `max |difference| from tfjs ops: weights ${maxDiff(w1, reference[0]).toExponential(2)}, m ${maxDiff(m1, reference[1]).toExponential(2)}, v ${maxDiff(v1, reference[2]).toExponential(2)}`,
);
tf.dispose(reference);
const time = (fn, reps) => {
  const start = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - start) / reps;
};
// the project's fused Adam kernel today (core-tensor's wasm-kernels/AdamUpdate.ts: a JS loop over the heap)
const attrs = { learningRate: 0.001, beta1, beta2, epsilon: 1e-7, correction1: 1 - beta1 ** t, correction2: 1 - beta2 ** t };
const fusedJs = () => tf.dispose(tf.engine().runKernel('StageGraphAdamUpdate', { value: w0, gradient: g, m: m0, v: v0 }, attrs));
const simdMs = time(simd, 30);
const fusedMs = time(fusedJs, 10);
const opsMs = time(() => tf.dispose(ops().map((x) => (x.dataSync(), x))), 10);
console.log(
  `one Adam step on ${n.toLocaleString('en-US')} weights: SIMD kernel ${simdMs.toFixed(2)} ms, the project's fused JS kernel ${fusedMs.toFixed(1)} ms (${(fusedMs / simdMs).toFixed(1)}x), tfjs ops ${opsMs.toFixed(1)} ms (${(opsMs / simdMs).toFixed(0)}x)`,
);
