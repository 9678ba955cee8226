// Which Python has TensorFlow for the Keras comparison: STAGEGRAPH_KERAS_PYTHON, else the venv that
// `npm run bench:keras-setup` makes, else python3 where it imports tensorflow.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const KERAS_VENV = join(homedir(), '.cache', 'stagegraph', 'keras-venv');

const candidates = () =>
  [process.env.STAGEGRAPH_KERAS_PYTHON, join(KERAS_VENV, 'bin', 'python'), 'python3'].filter(Boolean);

/** TensorFlow's version under `python`, or undefined where it does not import (or python is missing). */
function tensorflowVersion(python) {
  const probe = spawnSync(python, ['-c', 'import tensorflow as tf; print(tf.__version__)'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  return probe.status === 0 ? probe.stdout.trim().split('\n').at(-1) : undefined;
}

/** The first candidate with TensorFlow, as { python, tensorflow }, or { why } in one line saying how to get one. */
export function findKerasPython() {
  const tried = candidates();
  for (const python of tried) {
    const tensorflow = tensorflowVersion(python);
    if (tensorflow) return { python, tensorflow };
  }
  return {
    why: `Keras comparison skipped: no TensorFlow in ${tried.join(', ')} (npm run bench:keras-setup makes ${KERAS_VENV} with tensorflow-cpu, or set STAGEGRAPH_KERAS_PYTHON)`,
  };
}
