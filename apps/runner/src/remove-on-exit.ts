import { rmSync } from 'node:fs';

/** Temp folders this process is filling: gone with it however it exits (a plugin's process.exit, say). */
const doomed = new Set<string>();
let listening = false;

/**
 * Removes `path` when the process exits before the returned function is called (once the folder is
 * renamed into place or removed). An 'exit' listener can only work synchronously, hence rmSync; a
 * killed process runs no listener, and the next run sweeps what it left (RunFolder.begin).
 */
export function removeOnExit(path: string): () => void {
  if (!listening) {
    process.on('exit', () => {
      for (const folder of doomed) rmSync(folder, { recursive: true, force: true });
    });
    listening = true;
  }
  doomed.add(path);
  return () => void doomed.delete(path);
}
