import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '@stagegraph/pipeline';
import { listRuns, NoSuchRunError, resolveRun, type RunEntry } from '../runs/run-index.js';
import { hasTableModel } from './table-model-dir.js';

/** `--model latest`: the newest run with a model predict can use, in the runs folder. */
export const LATEST = 'latest';

/** A model predict takes: an image classifier (models-cnn.train) or a table model with its card; not a forecaster. */
const predictsWith = (runsDir: string) => (run: RunEntry) =>
  run.imageModels.length > 0 || hasTableModel(join(runsDir, run.id));

/**
 * The folder of the newest run in `runsDir` that has an image or table model, by the rule the runs
 * commands and the web app name runs by (resolveRun's `latest`), among those runs only: a newer
 * forecast or backtest run is passed over. Exit 2 when there is none, saying how to make one.
 */
export async function latestModelRun(runsDir: string): Promise<string> {
  const info = await stat(runsDir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UserInputError(
      `--model latest: expected a folder of runs at --runs ${runsDir}, got ${info ? 'a file' : 'no such folder'}`,
    );
  const listing = await listRuns(runsDir);
  const runs = listing.runs.filter(predictsWith(runsDir));
  if (!runs.length)
    throw new UserInputError(
      `--model latest: expected a run with an image or table model in ${runsDir}, got ${listing.runs.length ? `${listing.runs.length} run${listing.runs.length === 1 ? '' : 's'} without one` : 'no runs'} (train one: npx stagegraph run pipelines/mnist-cnn.json, or pipelines/table.json)`,
    );
  return join(runsDir, resolveRun({ runs, corrupt: listing.corrupt }, LATEST, `in ${runsDir}`).id);
}

/**
 * `--model <run name or prefix>` where no such path exists: the run's folder in `runsDir`, as the runs
 * commands name runs (resolveRun); undefined when the runs folder has no such run, so the caller's
 * "no such path" message stands.
 */
export async function namedModelRun(runsDir: string, ref: string): Promise<string | undefined> {
  try {
    return join(runsDir, resolveRun(await listRuns(runsDir), ref, `in ${runsDir}`).id);
  } catch (error) {
    if (error instanceof NoSuchRunError) return undefined;
    throw error;
  }
}
