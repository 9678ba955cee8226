import { readFileSync } from 'node:fs';

/** The CLI's version, from its package.json (beside dist/ and src/ alike). */
export function cliVersion(): string {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}
