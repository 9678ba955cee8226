// Runs one benchmark case (bench-case.js) in a fresh node process, so its peak RSS and warm-up are its own.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The case's JSON line, or the spec with an error saying how it ended. */
export function runCase(spec) {
  const child = spawnSync(process.execPath, [join(here, 'bench-case.js'), JSON.stringify(spec)], {
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
  const line = child.stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line);
  } catch {
    return { ...spec, error: `case crashed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1)}` };
  }
}
