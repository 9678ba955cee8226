import { CancelledError, isUserInputError } from '@stagegraph/pipeline';
import { runTrial, trialContext, type TrialContext, type TrialReply, type TrialRequest } from './trial-runner.js';

// One backend, cache and registry per worker process, from its first trial (the backend started when a stage computes).
let context: Promise<TrialContext> | undefined;

/** Runs one trial in a sweep's worker process and answers the parent over IPC (trial-process.ts). */
export async function answer(request: TrialRequest, cancelled: () => boolean): Promise<void> {
  if (cancelled())
    return void process.send!({
      ok: false,
      error: `trial ${request.sweep.trial}: cancelled`,
      userError: false,
      cancelled: true,
    } satisfies TrialReply);
  context ??= trialContext(request);
  const reply = await context
    .then((shared) => runTrial(request, shared, cancelled))
    .then(
      (result): TrialReply => ({ ok: true, result }),
      (error: Error): TrialReply => ({
        ok: false,
        error: error.message.split('\n')[0],
        userError: isUserInputError(error),
        cancelled: cancelled() || error instanceof CancelledError,
      }),
    );
  process.send!(reply);
}
