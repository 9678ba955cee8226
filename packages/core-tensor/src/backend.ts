import { UserInputError } from '@stagegraph/pipeline';
import * as tf from './tf.js';
import '@tensorflow/tfjs-backend-wasm';
import { nativeKernelsOrigin, nativeKernelsStatus } from './wasm-kernels/native-kernels.js';
import { useWasmTrainingKernels } from './wasm-kernels/register-wasm-kernels.js';
import { configureWasmThreads, oneThreadNotice, requestedThreads } from './wasm-threads.js';

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  backend: BackendName;
  /** Why faster backends were passed over, for the run log. */
  skipped: string[];
  /** Threads the wasm backend computes on (1 on the other backends, which pick their own). */
  threads: number;
  /** One line for the run log when wasm runs on fewer threads than asked for. */
  threadsNotice?: string;
}

export interface BackendOptions {
  /** wasm threads; default STAGEGRAPH_THREADS, else every core (one where `parallelWork` is false). */
  threads?: number;
  /** false when the work ahead is many small ops (a recurrent net), which threads slow down. */
  parallelWork?: boolean;
}

const NATIVE = '@tensorflow/tfjs-node';

/** Native TensorFlow is an optional peer dependency: it registers the 'tensorflow' backend when it loads. */
async function loadNative(): Promise<void> {
  const specifier = NATIVE;
  await import(specifier);
}

/** Why tfjs-node is not there: absent, or installed and failing (a missing libtensorflow, another Node's build), in its own words. */
function nativeMissing(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (new RegExp(`Cannot find (module|package) '${NATIVE}'`).test(message)) return `${NATIVE} is not installed`;
  return `${NATIVE} did not load: ${message.split('\n')[0].trim()}`;
}

/**
 * Picks the fastest backend that works: native `tensorflow` (when @tensorflow/tfjs-node is
 * installed and loads), then `wasm`, then the pure-JS `cpu`. `preferred` forces one and fails
 * loudly when it cannot start.
 */
export async function selectBackend(preferred?: BackendName, options: BackendOptions = {}): Promise<BackendChoice> {
  const skipped: string[] = [];
  for (const name of preferred ? [preferred] : BACKENDS) {
    try {
      if (name === 'tensorflow') await loadNative();
      if (name === 'wasm') {
        // with the native kernels the heavy work runs natively on every core; what stays in wasm is small ops, which a thread pool slows
        const parallelWork = (options.parallelWork ?? true) && !nativeKernelsStatus().active;
        return { backend: name, skipped, ...(await startWasm(requestedThreads(options.threads, parallelWork))) };
      }
      if (!(await tf.setBackend(name))) throw new Error('it did not initialise');
      await tf.ready();
      // The cpu backend nags about tfjs-node on first use; the CLI already says which backend runs.
      if (name === 'cpu') Object.assign(tf.backend(), { firstUse: false });
      return { backend: name, skipped, threads: 1 };
    } catch (error) {
      if (error instanceof UserInputError) throw error; // a bad STAGEGRAPH_THREADS is not a missing backend
      const reason = name === 'tensorflow' ? nativeMissing(error) : (error as Error).message;
      if (preferred) throw new Error(`backend "${name}" is not available: ${reason}`, { cause: error });
      skipped.push(`${name}: ${reason}`);
    }
  }
  throw new Error(`no tensor backend could start (${skipped.join('; ')})`);
}

/** wasm on the threads asked for, or on one thread (saying why) when the threaded build will not start. */
async function startWasm(threads: number): Promise<{ threads: number; threadsNotice?: string }> {
  let { threads: count, notice } = configureWasmThreads(threads);
  let started = await tf.setBackend('wasm').catch(() => false);
  if (!started && count > 1) {
    notice = oneThreadNotice(count, 'its threaded build did not start');
    count = configureWasmThreads(1).threads;
    started = await tf.setBackend('wasm');
  }
  if (!started) throw new Error('it did not initialise');
  await tf.ready();
  // wasm cannot train convolutions without these, and trains dense layers faster with them
  useWasmTrainingKernels(true);
  return { threads: count, threadsNotice: notice };
}

/**
 * "wasm (2 threads)" or "wasm (1 thread) + oneDNN kernels (platform package @stagegraph/core-tensor-linux-x64)",
 * for logs; other backends pick their own threads.
 */
export function describeBackend(backend: BackendName, threads: number): string {
  if (backend !== 'wasm') return backend;
  const origin = nativeKernelsOrigin();
  return `wasm (${threads} thread${threads === 1 ? '' : 's'})${origin ? ` + oneDNN kernels (${origin})` : ''}`;
}

export function currentBackend(): string {
  return tf.getBackend();
}
