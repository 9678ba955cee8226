import type { BackendName } from '@stagegraph/core-tensor';

// TensorFlow.js (about a second to load) comes in through this module only, when something needs a
// tensor: a stage that computes, a tensor or model read from the cache, a prediction. A command that
// needs none (validate, runs, cache, a run whose every stage is cached) never loads it.

type TensorRuntime = typeof import('./tensor-runtime.js');

export interface BackendRequest {
  /** `--backend`; none: the fastest that starts (tensorflow > wasm > cpu). */
  backend?: BackendName;
  /** `--threads` for wasm. */
  threads?: number;
  /** Whether the work ahead is large ops that threads speed up (CNN stages), not many small ones. */
  parallelWork?: boolean;
}

export interface ChosenBackend {
  name: BackendName;
  threads: number;
  /** "wasm (1 thread) + oneDNN kernels (platform package @stagegraph/core-tensor-linux-x64)", for logs and records. */
  description: string;
  /** Why faster backends were passed over. */
  skipped: string[];
  /** Why wasm runs on fewer threads than asked for. */
  threadsNotice?: string;
  /** The native kernels wasm computes with, when it does. */
  nativeKernels?: string;
}

let runtime: TensorRuntime | undefined;
/** main() calls in flight that keep TensorFlow.js' notices off the terminal, and how to let them through again. */
let quietCalls = 0;
let unmute: (() => void) | undefined;

/** The tensor runtime (core-tensor, TensorFlow.js), loaded once; muted while a quiet command runs. */
export async function loadTensorRuntime(): Promise<TensorRuntime> {
  runtime ??= await import('./tensor-runtime.js');
  if (quietCalls && !unmute) unmute = runtime.muteTensorLibraryNoise().restore;
  return runtime;
}

/** The runtime if something already loaded it: values it made (tensors, models) are disposed through it. */
export const loadedTensorRuntime = (): TensorRuntime | undefined => runtime;

/**
 * Counts the native kernel calls from now on, for one run's record: the kernels a run names as loaded
 * are not always the ones it used (an LSTM computes in wasm SIMD). None when nothing ran, or
 * TensorFlow.js never loaded (every stage from the cache). Sequential runs in one process (a sweep's
 * trials) each count their own.
 */
export function countNativeKernelCalls(): () => Record<string, number> | undefined {
  const before = runtime?.nativeKernelCallCounts() ?? {};
  return () => {
    const after = runtime?.nativeKernelCallCounts() ?? {};
    const ran = Object.entries(after)
      .map(([name, calls]) => [name, calls - (before[name] ?? 0)] as const)
      .filter(([, calls]) => calls > 0);
    return ran.length ? Object.fromEntries(ran) : undefined;
  };
}

/** Keeps TensorFlow.js' notices (not a user's to act on) off the terminal, from whenever it loads, until the returned function is called. */
export function quietTensorNotices(): () => void {
  quietCalls++;
  if (runtime && !unmute) unmute = runtime.muteTensorLibraryNoise().restore;
  return () => {
    if (--quietCalls > 0) return;
    unmute?.();
    unmute = undefined;
  };
}

/** The backend a command asked for, started the first time `select()` is called; `chosen` after that. */
export class LazyBackend {
  private choosing?: Promise<ChosenBackend>;
  chosen?: ChosenBackend;

  constructor(
    private readonly request: BackendRequest = {},
    /** Told once, when the backend has started (before the stage that needed it runs). */
    private readonly onChosen?: (chosen: ChosenBackend) => void,
  ) {}

  select(): Promise<ChosenBackend> {
    this.choosing ??= loadTensorRuntime()
      .then((loaded) => loaded.chooseBackend(this.request))
      .then((chosen) => {
        this.chosen = chosen;
        this.onChosen?.(chosen);
        return chosen;
      });
    return this.choosing;
  }

  /** Whether `select()` was called: the backend is starting or has started. */
  get requested(): boolean {
    return this.choosing !== undefined;
  }
}
