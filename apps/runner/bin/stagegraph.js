#!/usr/bin/env node
// Runs the built CLI (npm install builds it through the root `prepare` script).
import { main } from '../dist/main.js';

// `stagegraph stages | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// A cancelled run may still be finishing its current batch, and a stopped worker or server may hold
// a library's timers (BullMQ's last long poll, an upload still decoding): do not wait for them.
if (code === 130 || process.argv[2] === 'worker' || process.argv[2] === 'serve') process.exit(code);
process.exitCode = code;
