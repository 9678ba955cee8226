import type { IncomingMessage, ServerResponse } from 'node:http';
import { listLiveRuns } from '../runs/live-runs.js';
import { countRuns } from '../runs/run-index.js';
import { isSettled, listSweeps } from '../sweep/sweep-record.js';

/** How often the runs folder is looked at for a connected page. */
const POLL_MS = 1000;

/** What the live view shows: runs in progress, every sweep's progress, and how many runs have finished. */
async function snapshot(runsDir: string) {
  const [running, { sweeps }, finishedRuns] = await Promise.all([
    listLiveRuns(runsDir),
    listSweeps(runsDir),
    countRuns(runsDir),
  ]);
  return {
    running,
    sweeps: sweeps.map((s) => ({
      id: s.id,
      status: s.status,
      done: s.trials.filter(isSettled).length,
      total: s.trials.length,
      best: s.best && { trial: s.best.trial, metric: s.sweep.objective.metric, objective: s.best.objective },
    })),
    finishedRuns,
  };
}

/**
 * `/api/live`: server-sent events, one `data:` line of the snapshot whenever it changes. Runs in
 * other processes (`stagegraph run`, `stagegraph sweep`) write live.json and sweep.json; this reads
 * them, so the page follows them without a connection to those processes.
 */
export async function liveEvents(
  req: IncomingMessage,
  res: ServerResponse,
  runsDir: string,
  headers: Record<string, string>,
): Promise<void> {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  if (req.method === 'HEAD') return void res.end(); // the headers are the whole answer
  let last = '';
  let closed = false;
  const tick = async () => {
    if (closed) return;
    const text = JSON.stringify(await snapshot(runsDir));
    if (text !== last && !closed) res.write(`data: ${text}\n\n`);
    last = text;
  };
  await tick();
  const timer = setInterval(() => void tick().catch(() => undefined), POLL_MS);
  req.on('close', () => {
    closed = true;
    clearInterval(timer);
  });
}
