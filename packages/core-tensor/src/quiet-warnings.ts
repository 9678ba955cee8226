/**
 * Notices TensorFlow.js prints with console.warn that say nothing a pipeline's user can act on
 * (a size hint from the LSTM's default initializer, kernels registered twice, the tfjs-node
 * advert). The CLI mutes them unless --verbose; anything else passes through.
 */
export const TENSOR_LIBRARY_NOISE: readonly RegExp[] = [
  /^Orthogonal initializer is being called on a matrix with more than \d+ \(\d+\) elements: Slowness may result\./,
  /^The kernel '.*' for backend '.*' is already registered/,
  /^Hi there 👋\. Looks like you are running TensorFlow\.js in Node\.js/,
];

let original: typeof console.warn | undefined;

/** Drops the tensor library's noise from console.warn until `restore` is called; returns how many were dropped so far. */
export function muteTensorLibraryNoise(): { dropped: () => number; restore: () => void } {
  let dropped = 0;
  if (!original) {
    original = console.warn;
    const passOn = original;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && TENSOR_LIBRARY_NOISE.some((pattern) => pattern.test(args[0] as string))) {
        dropped++;
        return;
      }
      passOn(...args);
    };
  }
  return {
    dropped: () => dropped,
    restore: () => {
      if (original) console.warn = original;
      original = undefined;
    },
  };
}
