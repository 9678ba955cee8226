import { readFileSync } from 'node:fs';

/** The CLI's package.json (beside dist/ and src/ alike). */
export function cliPackage(): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
}

/** The CLI's version. */
export function cliVersion(): string {
  return cliPackage().version;
}
