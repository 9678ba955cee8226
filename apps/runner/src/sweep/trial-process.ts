// A sweep's worker process (`stagegraph sweep --jobs N` forks N of these): it takes trials from its
// parent over IPC, one at a time, runs each through the shared cache on one thread, and answers
// with the run's result. One backend, cache and registry per process, from its first trial.
import { selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { CancelledError, isUserInputError } from '@stagegraph/pipeline';
import { runTrial, trialContext, type TrialContext, type TrialReply, type TrialRequest } from './trial-runner.js';

let backend: Promise<unknown> | undefined;
let context: Promise<TrialContext> | undefined;
let cancelled = false;

process.on('message', (request: TrialRequest) => {
  backend ??= selectBackend(request.backend as BackendName, { threads: 1 });
  context ??= trialContext(request);
  void Promise.all([backend, context])
    .then(([, shared]) => runTrial(request, shared))
    .then(
      (result): TrialReply => ({ ok: true, result }),
      (error: Error): TrialReply => ({
        ok: false,
        error: error.message.split('\n')[0],
        userError: isUserInputError(error),
        cancelled: cancelled || error instanceof CancelledError,
      }),
    )
    .then((reply) => process.send!(reply));
});
// the parent's Ctrl-C reaches the whole process group; runPipeline cancels the trial, the reply says so
process.on('SIGINT', () => (cancelled = true));
process.on('SIGTERM', () => (cancelled = true));
// an orphan (the parent died) has no one to answer
process.on('disconnect', () => process.exit(0));
