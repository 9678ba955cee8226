import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where browser specs leave their screenshots. */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output', 'browser');

/**
 * Whether a browser spec runs: CI installs Chromium (.ci/run), so there a missing browser fails;
 * elsewhere the spec is skipped, saying why.
 */
export function haveChromium(spec: string): boolean {
  const have = existsSync(CHROMIUM) || process.env.CI === 'true';
  if (!have)
    console.warn(`${spec} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return have;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--no-first-run'] });
