// A sweep's worker process (`stagegraph sweep --jobs N` forks N of these): it takes trials from its
// parent over IPC, one at a time, runs each through the shared cache on one thread, and answers
// with the run's result. One backend, cache and registry per process, from its first trial.
import type { TrialRequest } from './trial-runner.js';

// Signals first, before the heavy imports below load: a Ctrl-C while the worker is still starting
// must cancel its trial, not kill it (the parent's Ctrl-C reaches the whole process group).
let cancelled = false;
process.on('SIGINT', () => (cancelled = true));
process.on('SIGTERM', () => (cancelled = true));
// an orphan (the parent died) has no one to answer
process.on('disconnect', () => process.exit(0));

// the listener too, at once: a trial sent while the modules still load waits for them, it is not dropped
// (a relative module, so the libraries it loads stay static imports everywhere)
const answering = import('./trial-answer.js');
process.on('message', (request: TrialRequest) => void answering.then(({ answer }) => answer(request, () => cancelled)));
