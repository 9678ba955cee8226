import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The one path guard for files read from a runs folder, by the web app's routes and by the `runs`
 * commands alike: a path counts only when it lies inside the folder once every link is resolved,
 * so `runs/x -> /etc`, `runs/sweeps/leak -> /elsewhere` or `histories/h.json -> /etc/passwd` are
 * refused whichever route or record names them.
 */
export async function pathInside(root: string, segments: string[]): Promise<string | undefined> {
  if (!segments.length || segments.some((s) => !s || s === '.' || s === '..' || /[\\/\0]/.test(s))) return undefined;
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(root, ...segments));
    return real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

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
  if (segments.some((s) => s.startsWith('.'))) return undefined;
  return pathInside(root, segments);
}

/**
 * The real path of run folder `id` when it lies inside `runsDir` once every link is resolved: a
 * run folder that is itself a symlink out of the runs folder (`runs/x -> /etc`) is not a run.
 */
export async function runFolderInside(runsDir: string, id: string): Promise<string | undefined> {
  if (id.startsWith('.')) return undefined;
  return pathInside(runsDir, [id]);
}

/** A folder entry that is a link whose target lies outside `root` (or nowhere): listed as such, never followed. */
export async function linksOut(root: string, segments: string[]): Promise<boolean> {
  const isLink = await lstat(join(root, ...segments)).then(
    (info) => info.isSymbolicLink(),
    () => false,
  );
  return isLink && !(await pathInside(root, segments));
}

/** The problem a listing shows for a link out of the runs folder. */
export const LINK_OUT = 'a link out of the runs folder, not read';

/** A record's text, or why it could not be had; `missing` when nothing is at that name. */
export type TextRead = { text: string } | { missing: true } | { problem: string };

/** Records are small JSON files: anything larger is not one of ours, and is not read into memory. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Reads `relative` (slash-separated) under `root` through the guard, refusing links out and oversized files. */
export async function readTextInside(root: string, relative: string, maxBytes = MAX_RECORD_BYTES): Promise<TextRead> {
  const segments = relative.split('/');
  const path = await pathInside(root, segments);
  if (!path) {
    // tell "not there" from "there, but pointing outside": only the second is worth reporting
    const there = await realpath(join(root, ...segments.filter((s) => s && s !== '..' && s !== '.'))).then(
      () => true,
      () => false,
    );
    return there ? { problem: LINK_OUT } : { missing: true };
  }
  let handle;
  try {
    // O_NONBLOCK: a FIFO in the runs folder must not hold a thread (and the server) until someone writes to it
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) return { problem: `expected a file, got ${info.isDirectory() ? 'a folder' : 'something else'}` };
    if (info.size > maxBytes) return { problem: `expected at most ${maxBytes / 1024 / 1024} MB, got ${(info.size / 1024 / 1024).toFixed(0)} MB` };
    return { text: await handle.readFile('utf8') };
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    await handle?.close();
  }
}
