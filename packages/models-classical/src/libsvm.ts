import { createRequire } from 'node:module';
import type SVMClass from 'libsvm-js/asm.js';

let svmClass: typeof SVMClass | undefined;
/**
 * libsvm-js (libsvm compiled to asm.js), loaded on first use. Its emscripten prelude installs a
 * process-wide 'unhandledRejection' handler that calls process.exit(1): that would end a CLI run
 * silently, so the handlers it adds are removed again.
 */
export function loadSvm(): typeof SVMClass {
  if (svmClass) return svmClass;
  const events = ['unhandledRejection', 'uncaughtException'];
  const listeners = (event: string) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
  const before = events.map((e) => new Set(listeners(e)));
  svmClass = createRequire(import.meta.url)('libsvm-js/asm.js') as typeof SVMClass;
  events.forEach((e, i) =>
    listeners(e).forEach((listener) => before[i].has(listener) || process.off(e as 'exit', listener)),
  );
  return svmClass;
}
