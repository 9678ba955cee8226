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
  return realPathInside(root, segments);
}

/**
 * The real path of run folder `id` when it lies inside `runsDir` once every link is resolved: a
 * run folder that is itself a symlink out of the runs folder (`runs/x -> /etc`) is not a run.
 */
export async function runFolderInside(runsDir: string, id: string): Promise<string | undefined> {
  if (!id || id.startsWith('.') || /[\\/\0]/.test(id)) return undefined;
  return realPathInside(runsDir, [id]);
}

async function realPathInside(root: string, segments: string[]): Promise<string | undefined> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(root, ...segments));
    return real.startsWith(realRoot + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}
