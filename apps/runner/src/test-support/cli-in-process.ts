import { main } from '../main.js';
import { captureOutput } from './tiny-pipeline.js';

/** `stagegraph <args>` in this process: the exit code and what it printed on each stream. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const output = captureOutput();
  const code = await main(args, output);
  return { code, out: output.stdout(), err: output.stderr() };
}
