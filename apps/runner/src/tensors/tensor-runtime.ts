import {
  describeBackend,
  describeNativeKernels,
  modelCodec,
  nativeKernelRuns,
  nativeKernelsStatus,
  muteTensorLibraryNoise,
  selectBackend,
  tensorCodec,
} from '@stagegraph/core-tensor';
import type { BackendRequest, ChosenBackend } from './lazy-backend.js';

// Loaded only through lazy-backend.ts (a dynamic import): core-tensor stays a static import here,
// as everywhere in the runner, and TensorFlow.js loads when this module does.

export { modelCodec, muteTensorLibraryNoise, tensorCodec };

/** Calls per native kernel since this process loaded them (a copy). */
export const nativeKernelCallCounts = (): Record<string, number> => ({ ...nativeKernelRuns });

/** Starts the backend a command asked for (the fastest that starts when none), as `LazyBackend` reports it. */
export async function chooseBackend(request: BackendRequest): Promise<ChosenBackend> {
  const { backend, skipped, threads, threadsNotice } = await selectBackend(request.backend, {
    threads: request.threads,
    parallelWork: request.parallelWork,
  });
  // kernels that are there but did not load (a damaged install) are worth a line: wasm alone is 3x slower
  const { why } = nativeKernelsStatus();
  const failed = backend === 'wasm' && why?.includes('did not load') ? `native kernels: ${why}` : undefined;
  return {
    name: backend,
    threads,
    description: describeBackend(backend, threads),
    skipped,
    threadsNotice: [threadsNotice, failed].filter(Boolean).join('; ') || undefined,
    ...(backend === 'wasm' && describeNativeKernels() && { nativeKernels: describeNativeKernels() }),
    ...(failed && { nativeKernels: `not loaded: ${why}` }),
  };
}
