// What this package ships and how a build is recorded (.build-stamp: a hash of the build's inputs
// and the sha256 of every shipped file), for build.js, which skips an up-to-date build, and pack.js,
// which refuses to pack a damaged one: a truncated addon or libdnnl crashes the process that loads it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ADDON = 'stagegraph-native.node';
export const STAMP = join(here, '.build-stamp');
/** Debian's packages, and the library each ships that the addon loads (directly or through libdnnl). */
export const DEBIAN = [
  { pkg: 'libdnnl2', lib: 'libdnnl.so.2' },
  { pkg: 'libdnnl-dev' }, // headers and the libdnnl.so link name
  { pkg: 'libgomp1', lib: 'libgomp.so.1' },
  { pkg: 'ocl-icd-libopencl1', lib: 'libOpenCL.so.1' },
];

/** The files this package ships, each with its sha256: a truncated or damaged one (SIGBUS on load) differs. */
export function digests() {
  const shipped = [ADDON, ...DEBIAN.filter((d) => d.lib).map((d) => join('lib', d.lib))];
  return Object.fromEntries(
    shipped.map((file) => [
      file,
      existsSync(join(here, file))
        ? createHash('sha256')
            .update(readFileSync(join(here, file)))
            .digest('hex')
        : null,
    ]),
  );
}

/** Whether the package is built from these inputs (any, when undefined) and every shipped file is as the build wrote it. */
export function builtFrom(inputs) {
  try {
    const recorded = JSON.parse(readFileSync(STAMP, 'utf8'));
    return (
      (inputs === undefined || recorded.inputs === inputs) &&
      JSON.stringify(recorded.files) === JSON.stringify(digests())
    );
  } catch {
    return false; // no stamp, or one from before the digests
  }
}
