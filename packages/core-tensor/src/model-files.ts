import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';

/** Largest model.json read into memory: its topology is text; weights live beside it. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/**
 * A file of a model folder, as model.json names it: a plain relative path that stays inside the
 * folder once links are resolved (`../../etc/passwd`, `/dev/zero` and a link out are refused), a
 * regular file (a FIFO would block a thread until someone writes to it) of at most `maxBytes`.
 * Returns its bytes, or throws a one-line reason for the caller to put in its message.
 */
export async function readModelFile(dir: string, relative: string, maxBytes: number): Promise<Buffer> {
  if (
    typeof relative !== 'string' ||
    !relative ||
    isAbsolute(relative) ||
    relative.split(/[\\/]/).some((part) => part === '..' || part === '.' || part === '') ||
    relative.includes('\0')
  )
    throw new Error(`"${relative}" is not a path inside the model's folder`);
  const [realDir, real] = await Promise.all([realpath(dir), realpath(join(dir, relative))]).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === 'ENOENT'
          ? `${relative} is missing`
          : `${relative} cannot be read (${error.code ?? error.message})`,
      );
    },
  );
  if (!real.startsWith(realDir.endsWith(sep) ? realDir : realDir + sep))
    throw new Error(`${relative} links out of the model's folder`);
  // O_NONBLOCK: should a FIFO slip in between the check and the read, opening it does not wait
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${relative} is not a regular file`);
    if (info.size > maxBytes)
      throw new Error(`${relative} holds ${info.size} bytes, more than the ${maxBytes} expected`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
