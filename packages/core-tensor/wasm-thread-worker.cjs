// One thread of TensorFlow.js' threaded-SIMD wasm backend, run as a Node worker (src/wasm-threads.ts
// starts it). tfjs ships emscripten's worker script only as a string, for a browser's blob: URL;
// Node's workers need a file, so this file evaluates that string.
const {
  wasmWorkerContents,
} = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

// The script runs at global scope (it declares its handlers as globals) and expects CommonJS there.
Object.assign(globalThis, { require, __filename });
// The string passed through a template literal, which turned its '\n' escapes into newlines; tfjs
// undoes that the same way before it makes its blob.
(0, eval)(wasmWorkerContents.replace(/\n/g, '\\n'));
