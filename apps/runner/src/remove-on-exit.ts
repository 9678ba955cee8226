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
    process.on('exit', (code) => {
      if (!doomed.size) return;
      for (const folder of doomed) rmSync(folder, { recursive: true, force: true });
      // something called process.exit mid-run (a plugin's stage): the run did not finish, whatever code it gave
      if (code === 0) {
        process.stderr.write(
          'error: the process was ended (process.exit) while a run was in progress; nothing was written\n',
        );
        process.exitCode = 1;
      }
    });
    listening = true;
  }
  doomed.add(path);
  return () => void doomed.delete(path);
}
