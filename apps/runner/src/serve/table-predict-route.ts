import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelWords, predictTableFile } from '../commands/predict-table-file.js';
import { CARD_FILE, tableModelDir, type TableModelChoice } from '../commands/table-model-dir.js';
import { predictionColumns } from '../commands/table-predictions-out.js';
import { pathInside, runFolderInside } from '../runs/path-inside.js';
import { listRuns, resolveRun } from '../runs/run-index.js';
import { HttpError } from './http-reply.js';
import { readUpload } from './read-upload.js';
import type { App, Request } from './routes.js';

/** A JSON body of rows to predict: at most this many bytes (a few tens of thousands of rows). */
export const MAX_ROWS_BYTES = 8 * 1024 * 1024;

export interface TableRun {
  runId: string;
  /** The run folder, inside the runs folder. */
  folder: string;
  model: TableModelChoice;
}

/**
 * The table model of run `ref` (as the CLI names runs: its name, a unique prefix, `latest`) that a request predicts with: `?model=models/<stage>` when named, else
 * the run's one table model or its best (as `stagegraph predict --model <run>`); undefined for a run
 * without table models (an image run: the digit route's).
 */
export async function tableRunModel(app: App, ref: string, model: string | null): Promise<TableRun | undefined> {
  // a run that cannot be named here is the digit route's to refuse, in its words
  const runId = await listRuns(app.runsDir).then(
    (listing) => resolveRun(listing, ref, 'in the runs folder').id,
    () => undefined,
  );
  if (runId === undefined) return undefined;
  const folder = await runFolderInside(app.runsDir, runId);
  if (!folder) return undefined;
  if (model === null) {
    const choice = tableModelDir(folder);
    return choice && { runId, folder, model: choice };
  }
  const dir = await pathInside(app.runsDir, [runId, ...model.split('/')]);
  if (!dir || !existsSync(join(dir, CARD_FILE))) {
    if (!tableModelDir(folder)) return undefined;
    throw new HttpError(404, `model ${model}: not one of run ${runId}'s table models (models/<stage>/${CARD_FILE})`);
  }
  return { runId, folder, model: { dir } };
}

/** The body as rows: a non-empty JSON array of objects, else 400 saying what it got. */
function rowsOf(body: Buffer): object[] {
  let rows: unknown;
  try {
    rows = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'rows: expected a JSON array of row objects, got text that does not parse as JSON');
  }
  const got = Array.isArray(rows) ? 'an empty array' : rows === null ? 'null' : `a JSON ${typeof rows}`;
  if (!Array.isArray(rows) || rows.length === 0)
    throw new HttpError(400, `rows: expected a JSON array of row objects, got ${got}`);
  const at = rows.findIndex((row) => row === null || typeof row !== 'object' || Array.isArray(row));
  if (at >= 0)
    throw new HttpError(400, `rows[${at}]: expected an object of column values, got ${JSON.stringify(rows[at])}`);
  return rows as object[];
}

/**
 * POST /api/predict?run=<table run>: the body's rows (JSON records) predicted as `stagegraph predict`
 * would (the same reader, through a temp file; the saved preparation; the same model choice), answered
 * as the rows with `predicted_<label>` (and `p_<class>`), and what was unseen, filled or ignored.
 */
export async function predictTableRows(app: App, { req, res }: Request, run: TableRun): Promise<void> {
  const rows = rowsOf(await readUpload(req, MAX_ROWS_BYTES, app.uploadIdleMs, 'a JSON array of rows'));
  const temp = await mkdtemp(join(tmpdir(), 'sg-rows-'));
  try {
    const file = join(temp, 'rows.json');
    await writeFile(file, JSON.stringify(rows));
    const { card, table, prepared, predictions } = await predictTableFile(file, 'rows', run.model.dir, {
      notice: () => undefined,
      backendChosen: true,
    });
    const { names, cells } = predictionColumns(table, predictions);
    const records = Array.from({ length: table.rows }, (_, r) => {
      const row = cells(r);
      return Object.fromEntries(names.map((name, j) => [name, row[j]]));
    });
    app.reply.json(res, 200, {
      run: run.runId,
      model: run.model.dir.slice(run.folder.length + 1),
      ...(run.model.why ? { why: run.model.why } : {}),
      describes: modelWords(card),
      rows: table.rows,
      unseen: prepared.counts.unseen,
      missing: prepared.counts.missing,
      ignored: prepared.extraColumns,
      predictions: records,
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
