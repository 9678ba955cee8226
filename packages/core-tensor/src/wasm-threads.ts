import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { UserInputError } from '@stagegraph/pipeline';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import threadedSimdModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import * as tf from './tf.js';

// A CommonJS module whose typings declare its factory as `default`; Node hands ESM its module.exports.
const threadedSimdFactory = threadedSimdModule as unknown as typeof threadedSimdModule.default;
// The lib this workspace compiles against has no WebAssembly types.
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: {
    Memory: new (limits: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike };
  };
};
const require = createRequire(import.meta.url);
const MAIN_SCRIPT = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const WORKER_SCRIPT = fileURLToPath(new URL('../wasm-thread-worker.cjs', import.meta.url));
const WASM_PRIORITY = 2; // tfjs-backend-wasm's own

export interface WasmThreads {
  /** Threads the wasm backend computes on (1: tfjs' single-threaded SIMD build). */
  threads: number;
  /** Why fewer threads run than were asked for, in one line; absent when all of them run. */
  notice?: string;
}

/**
 * Threads to ask for: the caller's choice, else STAGEGRAPH_THREADS, else every core, or one where
 * the work is known to be many small ops (measured on the seed LSTM: 2 threads 3x slower than 1).
 */
export function requestedThreads(threads?: number, parallelWork = true): number {
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1)
      throw new UserInputError(`threads: expected a whole number of threads, 1 or more, got ${threads}`);
    return threads;
  }
  const fromEnv = process.env['STAGEGRAPH_THREADS'];
  if (fromEnv === undefined || fromEnv.trim() === '') return parallelWork ? os.availableParallelism() : 1;
  if (!/^\s*[1-9]\d*\s*$/.test(fromEnv))
    throw new UserInputError(`STAGEGRAPH_THREADS: expected a whole number of threads, 1 or more, got "${fromEnv}"`);
  return Number(fromEnv);
}

/** Why this Node cannot run wasm threads, or undefined when it can. */
function threadsUnavailable(): string | undefined {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(memory.buffer instanceof SharedArrayBuffer)) return 'this Node has no shared WebAssembly memory';
  } catch (error) {
    return `this Node has no shared WebAssembly memory (${(error as Error).message})`;
  }
  if (!existsSync(WORKER_SCRIPT)) return `the worker script ${WORKER_SCRIPT} is missing`;
  return undefined;
}

/**
 * tfjs never starts its threaded build in Node (its feature check answers no there: the build loads
 * its workers from blob: URLs, which Node cannot run). Called directly with file paths it runs.
 */
async function createThreadedBackend(threads: number): Promise<tf.KernelBackend> {
  // The build takes half the logical cores it sees, counting hyper-threads twice; to get `threads`
  // it must see twice as many while its constructors run.
  const realCpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, () => realCpus()[0]!);
  try {
    const module = (await threadedSimdFactory({
      locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? WORKER_SCRIPT : prefix + file),
      mainScriptUrlOrBlob: MAIN_SCRIPT,
    })) as Awaited<ReturnType<typeof threadedSimdFactory>> & {
      cwrap: (name: string, returns: string | null, args: string[]) => unknown;
    };
    // the same bridge tfjs-backend-wasm's init() builds
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    } as typeof module.tfjs;
    setThreadsCount(threads);
    const backend = new BackendWasm(module);
    // The pool's threads live as long as the backend and would hold Node's event loop open; they
    // only compute inside a synchronous kernel call, so the process need not wait for them.
    const { PThread } = module as unknown as { PThread: { runningWorkers: Worker[]; unusedWorkers: Worker[] } };
    for (const worker of [...PThread.runningWorkers, ...PThread.unusedWorkers]) worker.unref();
    return backend;
  } finally {
    os.cpus = realCpus;
  }
}

let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
let registeredThreads = 1;

/**
 * Registers the wasm backend to start on `threads` threads (before `tf.setBackend('wasm')`). A wasm
 * backend already running on another count is disposed, with its tensors, and starts again on the
 * next setBackend. Where threads cannot run, wasm stays single-threaded and `notice` says why.
 */
export function configureWasmThreads(threads: number): WasmThreads {
  stockFactory ??= tf.findBackendFactory('wasm');
  const why = threads > 1 ? threadsUnavailable() : undefined;
  const count = why ? 1 : threads;
  if (count !== registeredThreads) {
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', count > 1 ? () => createThreadedBackend(count) : stockFactory, WASM_PRIORITY);
    registeredThreads = count;
  }
  return { threads: count, notice: why && oneThreadNotice(threads, why) };
}

/** The run log's line when wasm runs on one thread where `asked` were asked for. */
export function oneThreadNotice(asked: number, why: string): string {
  return `wasm runs on 1 thread, not ${asked}: ${why}`;
}

/** Threads the running wasm backend computes on. */
export function wasmThreadsInUse(): number {
  return getThreadsCount();
}
