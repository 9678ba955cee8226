#!/usr/bin/env node
// Builds the optional native kernels (kernels.cc) into build/stagegraph-native.node, linked against
// oneDNN. Needs a C++ compiler, oneDNN's headers and library, and Node's headers (the ones that come
// with Node's own install, or --nodedir / npm_config_nodedir):
//   Debian/Ubuntu: apt-get install g++ libdnnl-dev
//   npx stagegraph-build-native [--if-available] [--nodedir DIR]
// With --if-available a machine without them gets one line and exit code 0: wasm then computes
// everything, as it does without this file.
// The platform package (packages/core-tensor-linux-x64/build.js) builds the same sources through
// this script with --out FILE (where the addon goes), --dnnl-root DIR (oneDNN's include/ and lib/,
// or lib/<multiarch>/, unpacked from Debian's packages) and --rpath-origin (find the libraries in
// lib/ beside the addon, not where they were at build time).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const ifAvailable = args.includes('--if-available');
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const target = option('--out') ?? join(here, 'build', 'stagegraph-native.node');
const dnnlRoot = option('--dnnl-root') ?? process.env.DNNL_ROOT;
const rpathOrigin = args.includes('--rpath-origin');
/** The one list of the addon's C++ sources. */
const sources = ['kernels.cc', 'dnnl-primitives.cc', 'elementwise.cc'];

function fail(message) {
  if (ifAvailable) {
    console.log(`native kernels not built: ${message} (wasm computes everything; see packages/core-tensor/README.md)`);
    process.exit(0);
  }
  console.error(`stagegraph-build-native: ${message}`);
  process.exit(2);
}

const compiler = process.env.CXX ?? 'g++';
try {
  execFileSync(compiler, ['--version'], { stdio: 'ignore' });
} catch {
  fail(`expected a C++ compiler (${compiler}; Debian: apt-get install g++), got none`);
}
const nodeDirs = [option('--nodedir'), process.env.npm_config_nodedir, join(dirname(process.execPath), '..')].filter(
  Boolean,
);
const nodeInclude = nodeDirs
  .map((dir) => join(dir, 'include', 'node'))
  .find((dir) => existsSync(join(dir, 'node_api.h')));
if (!nodeInclude)
  fail(
    `expected Node's headers (include/node/node_api.h) under ${nodeDirs.join(' or ')}, got none (pass --nodedir DIR)`,
  );
// a given root is the only place looked at: the platform package must not pick up a system oneDNN
const dnnlIncludes = dnnlRoot ? [join(dnnlRoot, 'include')] : ['/usr/include', '/usr/local/include'];
const dnnlInclude = dnnlIncludes.find((dir) => existsSync(join(dir, 'oneapi', 'dnnl', 'dnnl.h')));
if (!dnnlInclude)
  fail(
    `expected oneDNN's headers (oneapi/dnnl/dnnl.h) under ${dnnlIncludes.join(', ')}, got none (Debian: apt-get install libdnnl-dev; elsewhere set DNNL_ROOT)`,
  );
const dnnlLibDir =
  dnnlRoot &&
  [join(dnnlRoot, 'lib'), join(dnnlRoot, 'lib', `${process.arch === 'x64' ? 'x86_64' : process.arch}-linux-gnu`)].find(
    (dir) => existsSync(join(dir, 'libdnnl.so')),
  );
if (dnnlRoot && !dnnlLibDir) fail(`expected libdnnl.so under ${join(dnnlRoot, 'lib')}[/<multiarch>], got none`);
// DT_RPATH (--disable-new-dtags), not DT_RUNPATH: it also serves the libraries' own dependencies
// (libdnnl.so.2 needs libgomp.so.1 and libOpenCL.so.1), which a RUNPATH would not
const runPath = rpathOrigin
  ? ['-Wl,--disable-new-dtags', '-Wl,-rpath,$ORIGIN/lib']
  : dnnlLibDir
    ? [`-Wl,-rpath,${dnnlLibDir}`]
    : [];
// -rpath-link: the linker checks libdnnl's own dependencies where they are, not on the system
const dnnlLib = dnnlLibDir ? ['-L', dnnlLibDir, `-Wl,-rpath-link,${dnnlLibDir}`, ...runPath] : runPath;

mkdirSync(dirname(target), { recursive: true });
const partial = `${target}.${process.pid}.tmp`;
try {
  execFileSync(
    compiler,
    [
      '-O3',
      // sqrt as one instruction, so loops over it vectorise (errno is never read): Adam 2.1 -> 1.1 ms
      '-fno-math-errno',
      '-std=c++17',
      '-fPIC',
      '-shared',
      '-fopenmp',
      '-Wall',
      '-Werror',
      `-I${nodeInclude}`,
      `-I${dnnlInclude}`,
      '-DNODE_GYP_MODULE_NAME=stagegraph_native',
      '-o',
      partial,
      ...sources.map((source) => join(here, source)),
      ...dnnlLib,
      '-ldnnl',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  renameSync(partial, target); // whole or not at all: a half-written addon would crash the process that loads it
} catch (error) {
  rmSync(partial, { force: true });
  fail(`${compiler} could not build ${sources.join(', ')}: ${error.message.split('\n')[0]}`);
}
console.log(`native kernels built: ${target}`);
