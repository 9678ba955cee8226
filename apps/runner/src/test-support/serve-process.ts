import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built `stagegraph serve` on a free port, and the URL it says it listens on; its stderr goes to `log`. */
export async function startServe(runs: string, log: string[]): Promise<{ serve: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(appDir, 'bin', 'stagegraph.js'), 'serve', '--runs', runs, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const listening = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /at (http:\/\/\S+) /.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${log.join('')}`)));
  });
  return { serve: child, url: listening };
}
