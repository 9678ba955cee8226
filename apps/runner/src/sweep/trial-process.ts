// A sweep's worker process (`stagegraph sweep --jobs N` forks N of these): it takes trials from its
// parent over IPC, one at a time, runs each through the shared cache on one thread, and answers
// with the run's result. One backend per process, selected on its first trial.
import { selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { CancelledError, isUserInputError } from '@stagegraph/pipeline';
import { runTrial, type TrialReply, type TrialRequest } from './trial-runner.js';

let backend: Promise<unknown> | undefined;
let cancelled = false;

process.on('message', (request: TrialRequest) => {
  backend ??= selectBackend(request.backend as BackendName, { threads: 1 });
  void backend
    .then(() => runTrial(request))
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
