import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The file a URL path names inside `root`, or undefined when it is not plainly inside: encoded
 * separators, `..`, hidden names, NUL, or a symlink out of the folder. Callers answer 404 then.
 */
export async function fileInside(root: string, urlPath: string): Promise<string | undefined> {
  let segments: string[];
  try {
    segments = urlPath.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // malformed %-escape
  }
  if (!segments.length || segments.some((s) => s.startsWith('.') || /[\\/\0]/.test(s))) return undefined;
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(root, ...segments));
    return file.startsWith(realRoot + sep) ? file : undefined;
  } catch {
    return undefined;
  }
}
