import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeBackend, selectBackend } from '@stagegraph/core-tensor';
import { UserInputError, writeFileAtomic } from '@stagegraph/pipeline';
import { wholeNumberArg } from '../number-args.js';
import type { Output } from '../output.js';
import { startServer } from '../serve/server.js';
import type { ServeCommandArgs } from './serve.command.js';

/** `stagegraph serve`: the web app over a runs folder, until Ctrl-C or SIGTERM. */
export async function serveAction(args: ServeCommandArgs, output: Output): Promise<number> {
  const port = wholeNumberArg('--port', args.port, 0, 65535)!;
  const threadsAsked = wholeNumberArg('--threads', args.threads, 1, 1024);
  const info = await stat(args.runs).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserInputError(
      `--runs ${args.runs}: expected a folder of runs, got ${info ? 'a file' : 'no such folder'}; make a run first (npx stagegraph run pipelines/stock-lstm.json)`,
    );
  }
  // Listen for Ctrl-C and SIGTERM before saying where we serve: whoever waits for that line may signal at once.
  let stop!: () => void;
  const stopped = new Promise<void>((done) => (stop = done));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const runsDir = resolve(args.runs);
    const { backend, threads, threadsNotice } = await selectBackend(args.backend, { threads: threadsAsked });
    if (threadsNotice) output.err(`note: ${threadsNotice}\n`);
    const server = await startServer({
      runsDir,
      host: args.host,
      port,
      log: args.quiet ? undefined : (line) => output.err(`${line}\n`),
    });
    // the shell's $! is npm's or npx's PID when started through them: say ours, which SIGTERM stops
    if (args.pidFile)
      await writeFileAtomic(args.pidFile, `${process.pid}\n`).catch((error: Error) => {
        throw new UserInputError(`--pid-file ${args.pidFile}: expected a file it can write, got ${error.message}`);
      });
    output.out(
      `serving ${runsDir} at ${server.url} (pid ${process.pid}; backend ${describeBackend(backend, threads)}; Ctrl-C to stop)\n`,
    );
    if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1')
      output.err(`warning: listening on ${args.host}: other machines can reach it\n`);
    await stopped;
    await server.close();
  } finally {
    if (args.pidFile) await rm(args.pidFile, { force: true });
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}
