#!/usr/bin/env node
// Builds the SIMD kernels (adam.c, max-pool-grad.c, lstm.c, gru.c, ...) into the two modules core-tensor loads:
// kernels.wasm imports tfjs-backend-wasm's single-threaded memory, kernels-shared.wasm the shared
// memory of its threaded build (a module must declare which kind it imports). Both are committed, so
// neither installing nor testing needs a compiler; the spec rebuilds them where clang is present and
// fails if they differ from the sources.
//   apt-get install clang lld && node packages/core-tensor/simd/build.js [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : here;
const sources = ['adam.c', 'column-sums.c', 'max-pool-grad.c', 'lstm.c', 'gru.c', 'matmul.c'].map((file) =>
  join(here, file),
);
const common = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory',
  '-nostdlib',
  '-ffreestanding',
  '-Wall',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--import-memory',
  '-Wl,--strip-all',
];
const variants = {
  'kernels.wasm': [],
  // tfjs' threaded build: shared memory of at most 4 GiB
  'kernels-shared.wasm': ['-matomics', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'],
};

/**
 * Why a module would corrupt tfjs' heap, or undefined. wasm-ld always defines a stack pointer
 * global, placed inside memory the module imports, i.e. inside tfjs' heap: the kernels must not use
 * it (no stack arrays, no spills), nor carry data of their own.
 */
function heapHazard(file) {
  const objdump = ['llvm-objdump', 'llvm-objdump-14'].find((tool) => {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!objdump) return 'llvm-objdump is missing (Debian: apt-get install llvm)';
  const listing = execFileSync(objdump, ['-d', '-h', file], { encoding: 'utf8' });
  if (/^\s*\d+\s+DATA\b/m.test(listing)) return 'a data section';
  const uses = listing.split('\n').filter((line) => /\bglobal\.(get|set)\b/.test(line));
  return uses.length ? `${uses.length} uses of the stack pointer (first: ${uses[0].trim()})` : undefined;
}

mkdirSync(out, { recursive: true });
// the spec compares rebuilt bytes only under this same compiler (another version emits other code)
let clangVersion = '';
try {
  clangVersion = execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0];
} catch {
  // reported below, where the build fails
}
writeFileSync(join(out, 'clang-version.txt'), `${clangVersion}\n`);
for (const [file, flags] of Object.entries(variants)) {
  const target = join(out, file);
  try {
    execFileSync('clang', [...common, ...flags, '-o', target, ...sources], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    console.error(
      `clang: expected clang 14+ with wasm-ld (Debian: apt-get install clang lld) to build ${file}, got: ${error.message.split('\n')[0]}`,
    );
    process.exit(2);
  }
  const hazard = heapHazard(target);
  if (hazard) {
    console.error(`${file}: expected code that touches only the arrays it is given, got ${hazard}`);
    process.exit(1);
  }
  console.log(`${file}: ${readFileSync(target).length} bytes`);
}
