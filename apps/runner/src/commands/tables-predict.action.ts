import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dirname, extname, join, relative, basename } from 'node:path';
import { DataError, escapeControlCharacters } from '@stagegraph/pipeline';
import { wholeNumberArg } from '../number-args.js';
import type { Output } from '../output.js';
import type { PredictCommandArgs } from './predict.command.js';
import { modelWords, predictTableFile } from './predict-table-file.js';
import type { TableModelChoice } from './table-model-dir.js';
import { predictionText } from './table-predictions-out.js';

type Format = 'csv' | 'json';

/** `--out`'s format from its extension: .csv or .json; anything else is refused before any work. */
function outFormat(out: string | undefined): Format {
  if (out === undefined) return 'csv';
  const ext = extname(out).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext.slice(1) as Format;
  throw new DataError(`--out ${out}: expected a .csv or .json file, got ${ext ? `a ${ext} file` : 'no extension'}`);
}

/** Writes the parts to a temp name beside `file`, renamed into place once all are written: never half a file. */
async function writeParts(file: string, parts: Iterable<string>): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await pipeline(Readable.from(parts), createWriteStream(temp));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const counts = (byColumn: Record<string, number>) =>
  Object.entries(byColumn)
    .map(([column, n]) => `${column} ${n}`)
    .join(', ') || 'none';

/**
 * `stagegraph predict --model <table run> rows.csv [--out preds.csv]`: reads the file (any format
 * tables.load reads) without dropping or folding anything, prepares it with the preparation saved
 * beside the model, predicts, and writes every row with `predicted_<label>` (and `p_<class>`): CSV, or
 * JSON records with --json or an --out ending in .json.
 */
export async function tablesPredictAction(
  args: PredictCommandArgs,
  model: TableModelChoice,
  output: Output,
): Promise<number> {
  const files = args.files as string[];
  if (files.length !== 1)
    throw new DataError(
      `predict: expected one table file (CSV, TSV, JSON, Parquet, Arrow) for a table model, got ${files.length}`,
    );
  const format = args.out === undefined && args.json ? 'json' : outFormat(args.out);
  const threads = wholeNumberArg('--threads', args.threads, 1, 1024);
  const { card, table, prepared, predictions } = await predictTableFile(files[0], files[0], model.dir, {
    backend: args.backend,
    threads,
    notice: (text) => output.err(`note: ${text}\n`),
  });
  const extra = prepared.extraColumns;
  if (extra.length)
    output.err(`note: columns the model does not use, ignored: ${escapeControlCharacters(extra.join(', '))}\n`);
  const parts = predictionText(table, predictions, format);
  if (args.out) await writeParts(args.out, parts);
  else for (const part of parts) output.out(part);
  const noProbabilities =
    predictions.classes && !predictions.probabilities
      ? '; no p_<class> columns (this model gives no probabilities)'
      : '';
  output.err(
    `predicted ${table.rows} rows of ${escapeControlCharacters(files[0])} with ${escapeControlCharacters(relative('.', model.dir) || '.')} (${escapeControlCharacters(modelWords(card))}${model.why ? `; ${model.why}` : ''}): categories unseen in training ${escapeControlCharacters(counts(prepared.counts.unseen))}; missing values filled ${escapeControlCharacters(counts(prepared.counts.missing))}${noProbabilities}${args.out ? `; written to ${escapeControlCharacters(args.out)}` : ''}\n`,
  );
  return 0;
}
