import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const simd = fileURLToPath(new URL('../../simd/', import.meta.url));
const clang = spawnSync('clang', ['--version'], { encoding: 'utf8' });
const localClang = clang.status === 0 ? clang.stdout.split('\n')[0] : undefined;
const builtWith = readFileSync(join(simd, 'clang-version.txt'), 'utf8').trim();
// another clang version emits other (equally valid) code, so bytes are compared under the same one
const comparable = localClang === builtWith;

// The committed modules are what users run; this rebuilds them from the C sources and compares.
// CI installs Debian 12's clang 14 (.ci/run), the one they were built with, so there it always runs;
// elsewhere it is skipped without that clang (`apt-get install clang lld llvm`).
(comparable || process.env['CI'] ? describe : describe.skip)(
  `the committed SIMD modules (built with ${builtWith})`,
  () => {
    it('are what simd/build.js makes of the C sources (run `npm run build:simd -w @stagegraph/core-tensor` after editing them)', () => {
      const out = mkdtempSync(join(tmpdir(), 'simd-'));
      try {
        execFileSync(process.execPath, [join(simd, 'build.js'), '--out', out], { stdio: 'pipe' });
        for (const file of ['kernels.wasm', 'kernels-shared.wasm']) {
          expect({ file, bytes: readFileSync(join(out, file)).equals(readFileSync(join(simd, file))) }).toEqual({
            file,
            bytes: true,
          });
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  },
);
