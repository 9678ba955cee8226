import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * A config moved to another folder: `$schema` and relative `plugins` paths are relative to the
 * config file, so they are rewritten to point where they pointed before. (Data paths are relative
 * to the working folder and stay as they are.)
 */
export function relocateConfig(
  config: Record<string, unknown>,
  fromFile: string,
  toFile: string,
): Record<string, unknown> {
  const move = (path: string) => {
    if (isAbsolute(path) || !/^\.\.?\//.test(path)) return path; // a package name, a URL or absolute
    const moved = relative(dirname(toFile), resolve(dirname(fromFile), path))
      .split('\\')
      .join('/');
    return moved.startsWith('.') ? moved : `./${moved}`;
  };
  const out = { ...config };
  if (typeof out.$schema === 'string') out.$schema = move(out.$schema);
  if (Array.isArray(out.plugins)) out.plugins = out.plugins.map((p) => (typeof p === 'string' ? move(p) : p));
  return out;
}
