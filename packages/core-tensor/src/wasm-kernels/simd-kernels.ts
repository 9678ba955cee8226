import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '../tf.js';

/** The functions of ../../simd/*.c; every pointer is a byte offset into tfjs-backend-wasm's heap. */
export interface SimdKernels {
  adam(
    w0: number,
    g: number,
    m0: number,
    v0: number,
    w1: number,
    m1: number,
    v1: number,
    n: number,
    beta1: number,
    beta2: number,
    step: number,
    eps: number,
  ): void;
  max_pool_grad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
    strideHeight: number,
    strideWidth: number,
    filterHeight: number,
    filterWidth: number,
    padTop: number,
    padLeft: number,
  ): void;
  column_sums(x: number, out: number, rows: number, columns: number): void;
  /** bias 0: none (offset 0 is never a tensor's) */
  matmul(
    a: number,
    b: number,
    bias: number,
    c: number,
    m: number,
    n: number,
    k: number,
    transposeA: number,
    transposeB: number,
    relu: number,
  ): void;
  lstm_forward(
    x: number,
    w: number,
    bias: number,
    u: number,
    gates: number,
    cells: number,
    hPrev: number,
    last: number,
    steps: number,
    batch: number,
    features: number,
    units: number,
    activation: number,
  ): void;
  lstm_backward(
    dy: number,
    x: number,
    w: number,
    u: number,
    gates: number,
    cells: number,
    hPrev: number,
    dx: number,
    dw: number,
    du: number,
    dbias: number,
    dz: number,
    dh: number,
    dc: number,
    steps: number,
    batch: number,
    features: number,
    units: number,
    activation: number,
  ): void;
  gru_forward(
    x: number,
    w: number,
    bias: number,
    u: number,
    gates: number,
    hPrev: number,
    last: number,
    steps: number,
    batch: number,
    features: number,
    units: number,
    activation: number,
  ): void;
  gru_backward(
    dy: number,
    x: number,
    w: number,
    u: number,
    gates: number,
    hPrev: number,
    dx: number,
    dw: number,
    du: number,
    dbias: number,
    /** 6 * batch * units floats */
    scratch: number,
    steps: number,
    batch: number,
    features: number,
    units: number,
    activation: number,
  ): void;
}

/** Calls per SIMD function, so tests can tell that our kernel computed a result (not tfjs', not a fallback). */
export const simdKernelRuns: Record<keyof SimdKernels, number> = {
  adam: 0,
  column_sums: 0,
  max_pool_grad: 0,
  lstm_forward: 0,
  lstm_backward: 0,
  gru_forward: 0,
  gru_backward: 0,
  matmul: 0,
};

// The lib this workspace compiles against has no WebAssembly types.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

/** The emscripten module behind a wasm backend: its memory is exported (single thread) or shared. */
interface EmscriptenModule {
  asm?: { memory?: { buffer: ArrayBufferLike } };
  wasmMemory?: { buffer: ArrayBufferLike };
}

const compiled = new Map<string, object>();
// one instance per backend: a re-created backend has a new heap
const instances = new WeakMap<BackendWasm, SimdKernels>();

/**
 * The SIMD kernels bound to this backend's heap. They import the very memory tfjs computes in, so
 * they read and write tensors where they lie: no copies. Counted per call in simdKernelRuns.
 */
export function simdKernels(backend: BackendWasm): SimdKernels {
  let kernels = instances.get(backend);
  if (kernels) return kernels;
  const memory = wasmMemory(backend);
  // a module declares whether the memory it imports is shared: the threaded build's is
  const file = memory.buffer instanceof SharedArrayBuffer ? 'kernels-shared.wasm' : 'kernels.wasm';
  let code = compiled.get(file);
  if (!code) {
    code = new WebAssembly.Module(readFileSync(fileURLToPath(new URL(`../../simd/${file}`, import.meta.url))));
    compiled.set(file, code);
  }
  const { exports } = new WebAssembly.Instance(code, { env: { memory } });
  kernels = Object.fromEntries(
    (Object.keys(simdKernelRuns) as (keyof SimdKernels)[]).map((name) => {
      const run = exports[name] as (...args: number[]) => void;
      return [
        name,
        (...args: number[]) => {
          simdKernelRuns[name]++;
          run(...args);
        },
      ];
    }),
  ) as unknown as SimdKernels;
  instances.set(backend, kernels);
  return kernels;
}

/** The WebAssembly.Memory a wasm backend computes in: exported by the single-threaded build, shared by the threaded one. */
export function wasmMemory(backend: BackendWasm): { buffer: ArrayBufferLike } {
  const module = backend.wasm as unknown as EmscriptenModule;
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error('the wasm backend exposes no memory');
  return memory;
}

/** A tensor's byte offset in the wasm heap. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}
