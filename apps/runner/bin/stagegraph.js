#!/usr/bin/env node
// Runs the built CLI (npm install builds it through the root `prepare` script). What is set up here
// comes first, before the CLI's modules load (about two seconds), so it holds from the first moment.

const verbose = process.argv.includes('--verbose');
const line = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

// Ctrl-C or SIGTERM that no command is listening for (while modules load, or a second Ctrl-C after a
// run's own handler took the first): stop now, saying so, instead of Node's silent exit 130/143.
const stop = (signal) => {
  if (process.listenerCount(signal) > 1) return; // a command handles it
  process.stderr.write(`stagegraph: stopped (${signal})\n`);
  process.exit(130);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// An error thrown where nothing awaits it (a plugin's timer, a promise it dropped): one line and exit 1,
// before tfjs' wasm glue rethrows it as a stack trace and exit 7. Temp folders go with the process.
const escaped = (kind) => (error) => {
  process.stderr.write(
    `error: ${line(error)} (${kind}: it escaped the code that raised it, a plugin's stage perhaps)\n`,
  );
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
};
process.on('uncaughtException', escaped('an uncaught exception'));
process.on('unhandledRejection', escaped('an unhandled rejection'));

// `stagegraph stages | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The event loop emptied while the command still waits: what it waits for can never settle (a
// plugin whose top-level await never resolves). A run says which stage; anything else says this.
let finished = false;
process.on('beforeExit', () => {
  if (finished || process.listenerCount('beforeExit') > 1) return;
  process.stderr.write(
    'error: stagegraph stopped: it was waiting for something that can never finish (a plugin module whose top-level await never settles, say)\n',
  );
  process.exit(1);
});

const { main } = await import('../dist/main.js');
const code = await main(process.argv.slice(2));
finished = true;
// A cancelled run may still be finishing its current batch, and a stopped worker or server may hold
// a library's timers (BullMQ's last long poll, an upload still decoding): do not wait for them.
if (code === 130 || process.argv[2] === 'worker' || process.argv[2] === 'serve') process.exit(code);
process.exitCode = code;
