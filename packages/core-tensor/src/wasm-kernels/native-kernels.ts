import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';
import { columnBias, matMulDims } from './kernel-calls.js';
import { heapOffset, wasmMemory } from './simd-kernels.js';

/**
 * The optional native kernels (../../native/*.cc): convolutions and max pooling by oneDNN's own
 * primitives, matrix products by its sgemm, on every core, computed in place on the wasm heap. They
 * come prebuilt, with oneDNN, in the platform package (npm installs it where os, cpu and libc
 * match), or from a source build (native/build.js, where libdnnl-dev and g++ are installed); without
 * either wasm computes everything, as before.
 */
interface NativeAddon {
  matmul(heap: Uint8Array, ...args: number[]): void;
  conv2d(heap: Uint8Array, ...args: number[]): void;
  conv2dBackpropFilter(heap: Uint8Array, ...args: number[]): void;
  conv2dBackpropInput(heap: Uint8Array, ...args: number[]): void;
  // oneDNN's own primitives (dnnl-primitives.cc): false where oneDNN has none for the geometry
  dnnlConv2d(heap: Uint8Array, ...args: number[]): boolean;
  dnnlConv2dBackpropInput(heap: Uint8Array, ...args: number[]): boolean;
  dnnlConv2dBackpropFilter(heap: Uint8Array, ...args: number[]): boolean;
  dnnlMaxPool(heap: Uint8Array, ...args: number[]): boolean;
  dnnlMaxPoolGrad(heap: Uint8Array, ...args: number[]): boolean;
  // elementwise.cc
  adam(heap: Uint8Array, ...args: number[]): void;
  reluBiasGrad(heap: Uint8Array, ...args: number[]): void;
}

/** Calls per native function, so tests can tell that the native path computed a result. */
export const nativeKernelRuns: Record<keyof NativeAddon, number> = {
  matmul: 0,
  conv2d: 0,
  conv2dBackpropFilter: 0,
  conv2dBackpropInput: 0,
  dnnlConv2d: 0,
  dnnlConv2dBackpropInput: 0,
  dnnlConv2dBackpropFilter: 0,
  dnnlMaxPool: 0,
  dnnlMaxPoolGrad: 0,
  adam: 0,
  reluBiasGrad: 0,
};

/** The prebuilt kernels with the libraries they load (packages/core-tensor-linux-x64), an optional dependency. */
export const PLATFORM_PACKAGE = `@stagegraph/core-tensor-${process.platform}-${process.arch}`;
/** Where native/build.js puts a source build. */
export const SOURCE_BUILD = fileURLToPath(new URL('../../native/build/stagegraph-native.node', import.meta.url));

/**
 * Whether convolutions run as oneDNN's convolution primitives (1.3-5x faster than im2col + sgemm
 * on the seed CNN's layers, one thread) or on the sgemm path, which stays as their fallback; a
 * switch so tests check both against the cpu backend and the bench can compare them.
 */
export const nativeConvPath: { use: 'primitive' | 'sgemm' } = { use: 'primitive' };

const require = createRequire(import.meta.url);

/** Where the loaded kernels came from. */
export type NativeKernelsSource = 'platform package' | 'source build';
interface Loaded {
  addon?: NativeAddon;
  source?: NativeKernelsSource;
  path?: string;
  why?: string;
}

let loaded: Loaded | undefined;
let enabled = true;

/** The platform package's addon, or undefined where npm did not install it (another platform) or it is not built. */
function platformAddon(): string | undefined {
  try {
    const path = join(dirname(require.resolve(`${PLATFORM_PACKAGE}/package.json`)), 'stagegraph-native.node');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function load(): Loaded {
  if (process.env['STAGEGRAPH_NATIVE'] === '0') return { why: 'turned off by STAGEGRAPH_NATIVE=0' };
  // OpenMP's threads wait for work passively (sleeping, not spinning), unless the user chose: on a
  // machine whose cores other processes share, a spinning thread holds the core its partner needs
  // and each parallel region waits out a time slice (seed-CNN prediction, 2 cores shared with 3
  // busy processes: 14 against 233 images/s one at a time, 669 against 3,817 at batch 256).
  // libgomp reads this once, when the addon loads it.
  process.env['OMP_WAIT_POLICY'] ??= 'passive';
  const candidates: [NativeKernelsSource, string | undefined][] = [
    ['platform package', platformAddon()],
    ['source build', existsSync(SOURCE_BUILD) ? SOURCE_BUILD : undefined],
  ];
  const failures: string[] = [];
  for (const [source, path] of candidates) {
    if (!path) continue;
    try {
      return { addon: require(path) as NativeAddon, source, path };
    } catch (error) {
      failures.push(`the ${source} (${path}) did not load: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return {
    why: failures.length
      ? failures.join('; ')
      : `not installed (${PLATFORM_PACKAGE} is not on this platform or not built) and not built from source (npx stagegraph-build-native; needs libdnnl-dev and g++)`,
  };
}

function addon(): NativeAddon | undefined {
  if (!enabled) return undefined;
  loaded ??= load();
  return loaded.addon;
}

/** Whether the native kernels compute (loaded and not turned off), where they came from, or why not. */
export interface NativeKernelsStatus {
  active: boolean;
  /** The platform package's prebuilt addon or a source build (native/build.js); set when loaded. */
  source?: NativeKernelsSource;
  /** The addon file loaded. */
  path?: string;
  why?: string;
}

export function nativeKernelsStatus(): NativeKernelsStatus {
  loaded ??= load();
  if (!loaded.addon) return { active: false, why: loaded.why };
  const { source, path } = loaded;
  return enabled ? { active: true, source, path } : { active: false, source, path, why: 'turned off' };
}

/** Where the active native kernels came from (`platform package @stagegraph/core-tensor-linux-x64` or `source build`); undefined when not active. */
export function nativeKernelsOrigin(): string | undefined {
  const status = nativeKernelsStatus();
  if (!status.active) return undefined;
  return status.source === 'platform package' ? `platform package ${PLATFORM_PACKAGE}` : 'source build';
}

/** The native kernels as run.json records them: `oneDNN (platform package @stagegraph/core-tensor-linux-x64)`. */
export function describeNativeKernels(): string | undefined {
  const origin = nativeKernelsOrigin();
  return origin && `oneDNN (${origin})`;
}

/** Turns the native kernels off (or on again), so tests and the bench can compare both paths in one process. */
export function useNativeKernels(on: boolean): void {
  enabled = on;
}

type Info = tf.TensorInfo;

function call(name: keyof NativeAddon, wasm: BackendWasm, args: number[]): void {
  nativeKernelRuns[name]++;
  addon()![name](new Uint8Array(wasmMemory(wasm).buffer), ...args);
}

/** A oneDNN primitive, counted where it computed; false where it has no implementation for the geometry. */
function callPrimitive(name: keyof NativeAddon, wasm: BackendWasm, args: number[]): boolean {
  const computed = addon()![name](new Uint8Array(wasmMemory(wasm).buffer), ...args) as unknown as boolean;
  if (computed) nativeKernelRuns[name]++;
  return computed;
}

/** The convolution by oneDNN's primitive where that is the path and it takes the geometry, else by sgemm. */
function convolve(primitive: keyof NativeAddon, sgemm: keyof NativeAddon, wasm: BackendWasm, args: number[]): void {
  if (nativeConvPath.use === 'primitive' && callPrimitive(primitive, wasm, args)) return;
  call(sgemm, wasm, args);
}

/** The fused epilogue the native kernels apply; other activations stay with tfjs. */
export function nativeActivation(activation: string | undefined): 0 | 1 | undefined {
  if (activation === undefined || activation === 'linear') return 0;
  return activation === 'relu' ? 1 : undefined;
}

/**
 * op(a) op(b) (+ bias, relu) natively, or undefined where the native path does not apply: not
 * loaded, batches that broadcast other than one against many, a bias other than one per column,
 * inner sizes that differ or nothing to compute.
 */
export function nativeMatMul(
  wasm: BackendWasm,
  a: Info,
  b: Info,
  transposeA: boolean,
  transposeB: boolean,
  bias?: Info,
  relu: 0 | 1 = 0,
): Info | undefined {
  if (!addon() || [a, b, bias].some((t) => t && t.dtype !== 'float32')) return undefined;
  const dims = matMulDims(a, b, transposeA, transposeB);
  if (!dims || !columnBias(bias, dims.n)) return undefined;
  const { m, n, k, batchA, batchB, outShape } = dims;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  if (batchA === batchB && batchA > 1 && a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join()) return undefined;
  const out = wasm.makeOutput(outShape, 'float32');
  call('matmul', wasm, [
    heapOffset(wasm, a),
    heapOffset(wasm, b),
    heapOffset(wasm, out),
    batchA,
    batchB,
    m,
    n,
    k,
    +transposeA,
    +transposeB,
    bias ? heapOffset(wasm, bias) : -1,
    relu,
  ]);
  return out;
}

/** The convolution's geometry in the order kernels.cc reads it. */
function geometry(info: tf.backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** A convolution (NHWC) the native path can take: float32, channels last. */
const nativeConv = (info: tf.backend_util.Conv2DInfo, ...tensors: (Info | undefined)[]) =>
  addon() !== undefined &&
  info.dataFormat === 'channelsLast' &&
  // no channels: nothing to compute, and oneDNN refuses to describe it
  info.inChannels > 0 &&
  info.outChannels > 0 &&
  tensors.every((t) => !t || t.dtype === 'float32');

export function nativeConv2D(
  wasm: BackendWasm,
  x: Info,
  filter: Info,
  info: tf.backend_util.Conv2DInfo,
  bias?: Info,
  relu: 0 | 1 = 0,
): Info | undefined {
  if (!nativeConv(info, x, filter, bias) || !columnBias(bias, info.outChannels)) return undefined;
  const out = wasm.makeOutput(info.outShape, 'float32');
  convolve('dnnlConv2d', 'conv2d', wasm, [
    heapOffset(wasm, x),
    heapOffset(wasm, filter),
    heapOffset(wasm, out),
    bias ? heapOffset(wasm, bias) : -1,
    relu,
    ...geometry(info),
  ]);
  return out;
}

export function nativeConv2DBackpropFilter(
  wasm: BackendWasm,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
): Info | undefined {
  if (!nativeConv(info, x, dy)) return undefined;
  const out = wasm.makeOutput(info.filterShape, 'float32');
  convolve('dnnlConv2dBackpropFilter', 'conv2dBackpropFilter', wasm, [
    heapOffset(wasm, x),
    heapOffset(wasm, dy),
    heapOffset(wasm, out),
    ...geometry(info),
  ]);
  return out;
}

export function nativeConv2DBackpropInput(
  wasm: BackendWasm,
  dy: Info,
  filter: Info,
  info: tf.backend_util.Conv2DInfo,
): Info | undefined {
  if (!nativeConv(info, dy, filter)) return undefined;
  const out = wasm.makeOutput(info.inShape, 'float32');
  convolve('dnnlConv2dBackpropInput', 'conv2dBackpropInput', wasm, [
    heapOffset(wasm, dy),
    heapOffset(wasm, filter),
    heapOffset(wasm, out),
    ...geometry(info),
  ]);
  return out;
}

/** Below this many weights Adam stays in wasm: the call into the addon costs more than the pass. */
const NATIVE_ADAM_MIN = 1 << 14;

/**
 * One Adam step over a variable natively (every core, AVX-512/AVX2), from the byte offsets of
 * w0, g, m0, v0 to those of w1, m1, v1 (which may be the same: in place); false where the native
 * path does not apply (not loaded, a small variable).
 */
export function nativeAdam(
  wasm: BackendWasm,
  offsets: number[],
  size: number,
  constants: { beta1: number; beta2: number; step: number; epsilon: number },
): boolean {
  if (!addon() || size < NATIVE_ADAM_MIN) return false;
  const { beta1, beta2, step, epsilon } = constants;
  call('adam', wasm, [...offsets, size, beta1, beta2, step, epsilon]);
  return true;
}

/**
 * A relu layer's dy through the activation (dy where y > 0) and its bias gradient (that summed over
 * every axis but the last), natively in one pass; undefined where the native kernels are not loaded.
 */
export function nativeReluBiasGrad(wasm: BackendWasm, dy: Info, y: Info): [Info, Info] | undefined {
  if (!addon() || tf.util.sizeFromShape(y.shape) === 0) return undefined; // nothing to pass: the wasm side's zeros
  const columns = y.shape.at(-1) ?? 1;
  const rows = tf.util.sizeFromShape(y.shape) / columns;
  const [dx, dbias] = [wasm.makeOutput(y.shape, 'float32'), wasm.makeOutput([columns], 'float32')];
  call('reluBiasGrad', wasm, [dy, y, dx, dbias].map((info) => heapOffset(wasm, info)).concat(rows, columns));
  return [dx, dbias];
}

/** Max pooling's geometry in the order dnnl-primitives.cc reads it; undefined for dilated windows. */
function poolGeometry(info: tf.backend_util.Conv2DInfo): number[] | undefined {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || info.dataFormat !== 'channelsLast') return undefined;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** Max pooling (NHWC, float32) by oneDNN, or undefined where the native path does not apply. */
export function nativeMaxPool(wasm: BackendWasm, x: Info, info: tf.backend_util.Conv2DInfo): Info | undefined {
  const geometry = poolGeometry(info);
  if (!addon() || !geometry || x.dtype !== 'float32' || tf.util.sizeFromShape(info.outShape) === 0) return undefined;
  const out = wasm.makeOutput(info.outShape, 'float32');
  if (callPrimitive('dnnlMaxPool', wasm, [heapOffset(wasm, x), heapOffset(wasm, out), ...geometry])) return out;
  wasm.disposeData(out.dataId);
  return undefined;
}

/** Max pooling's input gradient by oneDNN (its forward pass run again to find each window's maximum). */
export function nativeMaxPoolGrad(
  wasm: BackendWasm,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
): Info | undefined {
  const geometry = poolGeometry(info);
  if (!addon() || !geometry || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  if (tf.util.sizeFromShape(info.outShape) === 0 || !tf.util.arraysEqual(dy.shape, info.outShape)) return undefined;
  const out = wasm.makeOutput(x.shape, 'float32');
  if (
    callPrimitive('dnnlMaxPoolGrad', wasm, [
      heapOffset(wasm, x),
      heapOffset(wasm, dy),
      heapOffset(wasm, out),
      ...geometry,
    ])
  )
    return out;
  wasm.disposeData(out.dataId);
  return undefined;
}
