import { join } from 'node:path';
import { readTableModelCard, type Table, type TableModelCard } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { prepareColumns, readTable } from '@stagegraph/tables';
import { CARD_FILE } from './table-model-dir.js';
import { predictPrepared } from './table-model-predict.js';
import type { NetworkOptions, PreparedFeatures } from './table-predict-types.js';
import type { RowPredictions } from './table-predictions-out.js';

export interface TableFilePredictions {
  card: TableModelCard;
  /** The file as read: every column, nothing folded (what the output repeats). */
  table: Table;
  prepared: PreparedFeatures;
  predictions: RowPredictions;
}

/** The card beside a table model (the preparation, a classical model itself); a damaged one is one line naming it. */
export async function tableModelCard(dir: string): Promise<TableModelCard> {
  try {
    return await readTableModelCard(join(dir, CARD_FILE));
  } catch (error) {
    throw new DataError((error as Error).message);
  }
}

/**
 * Reads a file of rows (any format tables.load reads) as the model's training saw its columns (the
 * preparation's types forced, nothing dropped or folded, the label optional), prepares it with the
 * saved preparation and predicts: what `stagegraph predict` and `serve`'s /api/predict share.
 */
export async function predictTableFile(
  file: string,
  shownAs: string,
  dir: string,
  options: NetworkOptions,
): Promise<TableFilePredictions> {
  const card = await tableModelCard(dir);
  const { preparation } = card;
  const types = Object.fromEntries(preparation.steps.map((step) => [step.column, step.type]));
  const table = await readTable({ file, shownAs, label: preparation.label, forPrediction: true, columns: { types } });
  const rows = Int32Array.from({ length: table.rows }, (_, i) => i);
  const prepared = { ...prepareColumns(preparation, table, rows), rows: table.rows };
  const predictions = await predictPrepared(card, prepared, dir, options);
  return { card, table, prepared, predictions };
}

/** The model in a few words: "random-forest, regression of "mpg"". */
export function modelWords(card: TableModelCard): string {
  const what = card.network ? 'dense network' : String((card.model as { kind?: string }).kind);
  return `${what}, ${card.preparation.task} of "${card.preparation.label}"`;
}
