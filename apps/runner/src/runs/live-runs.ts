import { readdir } from 'node:fs/promises';
import { processAlive } from '@stagegraph/pipeline';
import { LIVE_FILE } from '../run-folder.js';
import { readRecord } from './read-record.js';
import { LIVE_RUN, type LiveRun } from './run-records.js';

/**
 * The runs being written into a runs folder now: temp folders of live processes with a live.json.
 * A live.json that is cut short or of another shape is skipped: it is rewritten every second.
 */
export async function listLiveRuns(runsDir: string): Promise<LiveRun[]> {
  const names = (await readdir(runsDir).catch(() => [] as string[])).filter((n) => n.startsWith('.tmp-') && !/[\\/]/.test(n));
  const live = await Promise.all(
    names.map(async (name) => {
      const read = await readRecord(runsDir, `${name}/${LIVE_FILE}`, LIVE_RUN);
      return read && 'value' in read && processAlive(read.value.pid) ? read.value : undefined;
    }),
  );
  return live.filter((r): r is LiveRun => r !== undefined).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
