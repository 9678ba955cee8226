import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '@stagegraph/pipeline';
import { LIVE_FILE, type LiveRun } from '../run-folder.js';

/** The runs being written into a runs folder now: temp folders of live processes with a live.json. */
export async function listLiveRuns(runsDir: string): Promise<LiveRun[]> {
  const names = (await readdir(runsDir).catch(() => [] as string[])).filter((n) => n.startsWith('.tmp-'));
  const live = await Promise.all(
    names.map(async (name) => {
      const status = (await readFile(join(runsDir, name, LIVE_FILE), 'utf8').then(JSON.parse, () => undefined)) as LiveRun | undefined;
      return status && processAlive(status.pid) ? status : undefined;
    }),
  );
  return live.filter((r): r is LiveRun => r !== undefined).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
