import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

let scripts: Promise<string[]> | undefined;

/**
 * What a page needs to draw figures' Vega specs, interactive: Vega and vega-embed (tooltips,
 * export menu) as their minified browser builds, from this package's own dependencies, to inline
 * in a page that must open offline. About 580 KB; read once per process.
 */
export function figureBrowserScripts(): Promise<string[]> {
  scripts ??= Promise.all(
    [
      join(dirname(require.resolve('vega')), 'vega.min.js'),
      join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js'),
    ].map((file) => readFile(file, 'utf8')),
  );
  return scripts;
}
