// A sweep's worker process (`stagegraph sweep --jobs N` forks N of these): it takes trials from its
// parent over IPC, one at a time, runs each through the shared cache on one thread, and answers
// with the run's result. One backend, cache and registry per process, from its first trial.
import type { BackendName } from '@stagegraph/core-tensor';
import type { TrialContext, TrialReply, TrialRequest } from './trial-runner.js';

// Signals first, before the heavy imports below load: a Ctrl-C while the worker is still starting
// must cancel its trial, not kill it (the parent's Ctrl-C reaches the whole process group).
let cancelled = false;
process.on('SIGINT', () => (cancelled = true));
process.on('SIGTERM', () => (cancelled = true));
// an orphan (the parent died) has no one to answer
process.on('disconnect', () => process.exit(0));

// the listener too, at once: a trial sent while the modules still load waits for them, it is not dropped
const modules = Promise.all([import('@stagegraph/core-tensor'), import('@stagegraph/pipeline'), import('./trial-runner.js')]);
let backend: Promise<unknown> | undefined;
let context: Promise<TrialContext> | undefined;

process.on('message', (request: TrialRequest) => void modules.then((loaded) => answer(request, ...loaded)));

async function answer(
  request: TrialRequest,
  tensors: typeof import('@stagegraph/core-tensor'),
  engine: typeof import('@stagegraph/pipeline'),
  trials: typeof import('./trial-runner.js'),
) {
  if (cancelled) return void process.send!({ ok: false, error: `trial ${request.sweep.trial}: cancelled`, userError: false, cancelled: true } satisfies TrialReply);
  backend ??= tensors.selectBackend(request.backend as BackendName, { threads: 1 });
  context ??= trials.trialContext(request);
  const reply = await Promise.all([backend, context])
    .then(([, shared]) => trials.runTrial(request, shared))
    .then(
      (result): TrialReply => ({ ok: true, result }),
      (error: Error): TrialReply => ({
        ok: false,
        error: error.message.split('\n')[0],
        userError: engine.isUserInputError(error),
        cancelled: cancelled || error instanceof engine.CancelledError,
      }),
    );
  process.send!(reply);
}
