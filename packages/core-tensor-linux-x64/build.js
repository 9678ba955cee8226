#!/usr/bin/env node
// Builds this package: the native kernels (../core-tensor/native, compiled by its build.js) linked
// against Debian's oneDNN, with the shared libraries they load in lib/ and a run path of $ORIGIN/lib,
// so a machine without libdnnl gets them from npm. Needs no root and installs nothing: apt-get
// download fetches Debian's packages into a temp folder and dpkg-deb -x unpacks them there.
//   node packages/core-tensor-linux-x64/build.js [--if-available] [--force]
// --if-available (how `npm install` calls it in this repo): where it cannot build (not linux-x64
// with glibc, no apt-get or g++, a download refused) one line and exit 0; wasm or a source build
// then serves. A build from the same inputs (.build-stamp) is skipped, so a second install is fast.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDON, builtFrom, DEBIAN, digests, STAMP } from './built-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const nativeDir = join(here, '..', 'core-tensor', 'native');
const args = process.argv.slice(2);
const ifAvailable = args.includes('--if-available');
/** Every Linux has these (glibc and GCC's C++ runtime); any other dependency must resolve inside lib/. */
const SYSTEM_LIB = /^(linux-vdso\.so|ld-linux-x86-64\.so|lib(c|m|dl|rt|pthread)\.so|libstdc\+\+\.so|libgcc_s\.so)/;

/** Ends the build with one line (exit 0 under --if-available, else 2), after the temp folders are gone. */
class Refused extends Error {}
// Signals: Ctrl-C reaches the child too (apt-get, g++), which fails, and the build ends as after any
// failure, its temp folders removed; a signal to this process alone, which would have killed it
// between two renames, is handled once the synchronous build is done, whole or not at all: exit 128+n.
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
])
  process.on(signal, () => process.exit(128 + number));
function fail(message) {
  throw new Refused(message);
}
function refuse(message) {
  if (ifAvailable) {
    console.log(`@stagegraph/core-tensor-linux-x64 not built: ${message}`);
    process.exit(0);
  }
  console.error(`core-tensor-linux-x64 build: ${message}`);
  process.exit(2);
}

const run = (command, commandArgs, cwd) =>
  execFileSync(command, commandArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const has = (command) => {
  try {
    run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
};

try {
  main();
} catch (error) {
  if (!(error instanceof Refused)) throw error;
  refuse(error.message);
}

function main() {
  const glibc = process.report?.getReport().header.glibcVersionRuntime;
  if (process.platform !== 'linux' || process.arch !== 'x64' || !glibc)
    fail(`expected linux-x64 with glibc, got ${process.platform}-${process.arch}${glibc ? '' : ' without glibc'}`);
  // the inputs: the addon's sources and build script (any file in native/, so a new .cc counts) and this script
  const inputs = [
    ...readdirSync(nativeDir)
      .filter((name) => /\.(cc|h|js)$/.test(name))
      .sort()
      .map((name) => join(nativeDir, name)),
    fileURLToPath(import.meta.url),
  ];
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(`${relative(here, file)}\n`).update(readFileSync(file));
  const stamp = hash.update(DEBIAN.map((d) => d.pkg).join(' ')).digest('hex');
  if (!args.includes('--force') && builtFrom(stamp)) {
    console.log(`@stagegraph/core-tensor-linux-x64 up to date (${join(here, ADDON)})`);
    return;
  }

  for (const [tool, from] of [
    ['apt-get', 'Debian or Ubuntu'],
    ['dpkg-deb', 'Debian or Ubuntu'],
    ['ldd', 'glibc'],
    [process.env.CXX ?? 'g++', 'Debian: apt-get install g++'],
  ])
    if (!has(tool)) fail(`expected ${tool} (${from}), got none`);

  // a build killed outright (SIGKILL) leaves its staging folder: gone with the next build
  for (const name of readdirSync(here).filter((n) => n.startsWith('.staging-')))
    if (!running(Number(name.slice('.staging-'.length)))) rmSync(join(here, name), { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'stagegraph-platform-'));
  const staging = join(here, `.staging-${process.pid}`);
  try {
    build(work, staging, stamp);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

function build(work, staging, stamp) {
  const debs = join(work, 'debs');
  const root = join(work, 'root');
  mkdirSync(debs);
  const download = (packages) => {
    try {
      run('apt-get', ['download', ...packages], debs);
    } catch (error) {
      fail(
        `apt-get download ${packages.join(' ')} failed: ${lastLine(error)} (apt-get update refreshes the package lists)`,
      );
    }
  };
  download(DEBIAN.map((d) => d.pkg));
  const unpackAll = () => {
    for (const deb of readdirSync(debs)) run('dpkg-deb', ['-x', join(debs, deb), root]);
  };
  unpackAll();
  // a package's doc folder may be a link to its source's (libgomp1 -> gcc-12-base): the licence is there
  const docs = join(root, 'usr', 'share', 'doc');
  const linkedDocs = DEBIAN.map((d) => join(docs, d.pkg))
    .filter((doc) => lstatSync(doc, { throwIfNoEntry: false })?.isSymbolicLink())
    .map((doc) => readlinkSync(doc))
    .filter((target) => !existsSync(join(docs, target, 'copyright')));
  if (linkedDocs.length) {
    download(linkedDocs);
    unpackAll();
  }

  const lib = join(staging, 'lib');
  mkdirSync(lib, { recursive: true });
  try {
    execFileSync(
      process.execPath,
      [join(nativeDir, 'build.js'), '--out', join(staging, ADDON), '--dnnl-root', join(root, 'usr'), '--rpath-origin'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch {
    fail('compiling the native kernels failed (above)');
  }
  const libDir = join(root, 'usr', 'lib', 'x86_64-linux-gnu');
  const versions = [];
  for (const { pkg, lib: name } of DEBIAN) {
    const deb = readdirSync(debs).find((file) => file.startsWith(`${pkg}_`));
    versions.push(`${pkg} ${run('dpkg-deb', ['-f', join(debs, deb), 'Version']).trim()}`);
    if (!name) continue;
    copyFileSync(join(libDir, name), join(lib, name)); // follows the soname link to the file
    copyFileSync(join(docs, pkg, 'copyright'), join(lib, `${pkg}.copyright`));
  }
  writeFileSync(join(lib, 'debian-packages.txt'), `${versions.join('\n')}\n`);

  // every dependency but glibc's and the C++ runtime must resolve inside lib/, never from the system
  const strays = run('ldd', [join(staging, ADDON)])
    .split('\n')
    .map((line) => line.trim().match(/^(\S+)(?: => (.+?))?(?: \(0x[0-9a-f]+\))?$/))
    .filter((m) => m && !SYSTEM_LIB.test(basename(m[1])) && !resolve(m[2] ?? '/').startsWith(`${lib}/`))
    .map((m) => `${m[1]} => ${m[2] ?? '?'}`);
  if (strays.length) fail(`the addon's libraries resolve outside lib/: ${strays.join(', ')}`);

  // in place whole or not at all: the addon goes last, so a half-replaced package is one the loader skips
  rmSync(join(here, ADDON), { force: true });
  rmSync(STAMP, { force: true });
  rmSync(join(here, 'lib'), { recursive: true, force: true });
  renameSync(lib, join(here, 'lib'));
  renameSync(join(staging, ADDON), join(here, ADDON));
  writeFileSync(`${STAMP}.tmp`, `${JSON.stringify({ inputs: stamp, files: digests() }, null, 2)}\n`);
  renameSync(`${STAMP}.tmp`, STAMP);
  console.log(`@stagegraph/core-tensor-linux-x64 built: ${join(here, ADDON)} (${versions.join(', ')})`);
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function lastLine(error) {
  return `${error.stderr ?? ''}${error.message}`.trim().split('\n').filter(Boolean).at(-1);
}
