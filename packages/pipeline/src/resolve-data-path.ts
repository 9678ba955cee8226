import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { DataError } from './errors.js';

/**
 * A data path from a config: relative to the working directory, or `package:<name>/<file>` for a
 * file an installed npm package ships (`package:vega-datasets/data/sp500-2000.csv`), so a pipeline
 * can name data that works on a fresh clone without downloading anything. The package is looked up
 * from the working directory first, then from `fallbackBase` (the calling package's module URL, so
 * a package that depends on the data package finds it wherever it is installed).
 */
export function resolveDataPath(path: string, workDir: string, fallbackBase: string = import.meta.url): string {
  const match = /^package:((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(path);
  if (!match) return resolve(workDir, path);
  const [, name, file] = match;
  for (const base of [join(workDir, 'noop.js'), fallbackBase]) {
    try {
      let dir = dirname(createRequire(base).resolve(name));
      while (!isPackageRoot(dir, name) && dirname(dir) !== dir) dir = dirname(dir);
      if (isPackageRoot(dir, name)) {
        const inside = join(dir, file);
        if (relative(dir, inside).startsWith('..'))
          throw new DataError(`${path}: expected a file inside the package "${name}", got a path out of it`);
        return inside;
      }
    } catch (error) {
      if (error instanceof DataError) throw error;
      // not installed where this base looks; try the next
    }
  }
  throw new DataError(`${path}: expected the npm package "${name}" to be installed, got none (npm install ${name})`);
}

/**
 * How errors about a data file itself (missing, unreadable, of another format) name it: as the config
 * wrote it, and where that resolved from which working directory, on one line
 * (`data/x.csv (resolved: /abs/data/x.csv, cwd /abs)`); an absolute path is shown as it is.
 */
export function locatedPath(path: string, resolved: string, workDir: string): string {
  return path === resolved ? path : `${path} (resolved: ${resolved}, cwd ${workDir})`;
}

function isPackageRoot(dir: string, name: string): boolean {
  const manifest = join(dir, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name;
}
