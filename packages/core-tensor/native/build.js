#!/usr/bin/env node
// Builds the optional native kernels (kernels.cc) into build/stagegraph-native.node, linked against
// oneDNN. Needs a C++ compiler, oneDNN's headers and library, and Node's headers (the ones that come
// with Node's own install, or --nodedir / npm_config_nodedir):
//   Debian/Ubuntu: apt-get install g++ libdnnl-dev
//   npx stagegraph-build-native [--if-available] [--nodedir DIR]
// With --if-available (how `npm install` calls it in this repo) a machine without them gets one line
// and exit code 0: wasm then computes everything, as it does without this file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const ifAvailable = args.includes('--if-available');
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const target = join(here, 'build', 'stagegraph-native.node');

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
const dnnlIncludes = [
  process.env.DNNL_ROOT && join(process.env.DNNL_ROOT, 'include'),
  '/usr/include',
  '/usr/local/include',
].filter(Boolean);
const dnnlInclude = dnnlIncludes.find((dir) => existsSync(join(dir, 'oneapi', 'dnnl', 'dnnl.h')));
if (!dnnlInclude)
  fail(
    `expected oneDNN's headers (oneapi/dnnl/dnnl.h) under ${dnnlIncludes.join(', ')}, got none (Debian: apt-get install libdnnl-dev; elsewhere set DNNL_ROOT)`,
  );
const dnnlLib = process.env.DNNL_ROOT
  ? ['-L', join(process.env.DNNL_ROOT, 'lib'), `-Wl,-rpath,${join(process.env.DNNL_ROOT, 'lib')}`]
  : [];

mkdirSync(dirname(target), { recursive: true });
const partial = `${target}.${process.pid}.tmp`;
try {
  execFileSync(
    compiler,
    [
      '-O3',
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
      join(here, 'kernels.cc'),
      join(here, 'dnnl-primitives.cc'),
      ...dnnlLib,
      '-ldnnl',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  renameSync(partial, target); // whole or not at all: a half-written addon would crash the process that loads it
} catch (error) {
  rmSync(partial, { force: true });
  fail(`${compiler} could not build kernels.cc: ${error.message.split('\n')[0]}`);
}
console.log(`native kernels built: ${target}`);
