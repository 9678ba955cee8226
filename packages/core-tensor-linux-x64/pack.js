#!/usr/bin/env node
// Packs this package for a registry: `node packages/core-tensor-linux-x64/pack.js DEST` writes the
// tarball to DEST and prints npm pack's JSON; publish that tarball (`npm publish FILE.tgz`).
// The platform fields are added here, not in package.json: npm refuses to install a workspace whose
// os/cpu/libc do not match, so with them in the repo `npm install` would fail on every Mac and arm64
// machine; from a registry they make npm skip the package there, as it should.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtFrom } from './built-files.js';

/** Where the binaries in this package run: npm installs it only there. */
export const PLATFORM = { os: ['linux'], cpu: ['x64'], libc: ['glibc'] };

const here = dirname(fileURLToPath(import.meta.url));
const [dest] = process.argv.slice(2);
if (dest === '--direct') {
  // npm pack or npm publish in this folder (prepack): the tarball would lack the platform fields
  console.error('core-tensor-linux-x64: expected node pack.js DEST (it adds os, cpu and libc), got npm pack here');
  process.exit(2);
}
if (!dest) {
  console.error('core-tensor-linux-x64 pack: expected a destination folder (node pack.js DEST), got none');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const missing = manifest.files.filter((file) => !existsSync(join(here, file)));
if (missing.length) {
  console.error(
    `core-tensor-linux-x64 pack: expected the built package, got no ${missing.join(', ')} (node packages/core-tensor-linux-x64/build.js)`,
  );
  process.exit(2);
}
if (!builtFrom(undefined)) {
  console.error(
    'core-tensor-linux-x64 pack: expected the files as the build wrote them (.build-stamp), got changed or damaged ones (node packages/core-tensor-linux-x64/build.js --force)',
  );
  process.exit(2);
}
mkdirSync(dest, { recursive: true });

const staging = mkdtempSync(join(tmpdir(), 'stagegraph-platform-pack-'));
try {
  for (const file of [...manifest.files, 'README.md', 'LICENSE']) cpSync(join(here, file), join(staging, file));
  // the repo's scripts and Nx settings stay here: the tarball holds binaries, nothing to run
  const published = { ...manifest, ...PLATFORM };
  delete published.scripts;
  delete published.nx;
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  process.stdout.write(
    execFileSync('npm', ['pack', '--json', '--pack-destination', resolve(dest)], { cwd: staging, encoding: 'utf8' }),
  );
} finally {
  rmSync(staging, { recursive: true, force: true });
}
