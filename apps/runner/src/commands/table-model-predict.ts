import type { TableModelCard } from '@stagegraph/contracts';
import type { PreparedRows } from '@stagegraph/tables';
import { predictTableModel, TABLE_MODEL } from '@stagegraph/models-classical/table-models';
import { DataError } from '@stagegraph/pipeline';
import type { RowPredictions } from './table-predictions-out.js';

import type { NetworkOptions } from './table-network-predict.js';

/** A classical model's answers: its features gathered from the prepared ones by name (its own order). */
function classical(card: TableModelCard, prepared: PreparedRows, dir: string) {
  const problem = TABLE_MODEL.check?.(card.model);
  if (problem) throw new DataError(`${dir}: expected a classical model in table-model.json, ${problem}`);
  const model = card.model as Parameters<typeof predictTableModel>[0];
  const from = model.features.map((name) => card.preparation.features.indexOf(name));
  const missing = from.indexOf(-1);
  if (missing >= 0)
    throw new DataError(
      `${dir}: expected the model's feature "${model.features[missing]}" among the preparation's, got none`,
    );
  const width = card.preparation.features.length;
  const x = new Float64Array(prepared.rows * from.length);
  for (let r = 0; r < prepared.rows; r++)
    for (let j = 0; j < from.length; j++) x[r * from.length + j] = prepared.features[r * width + from[j]];
  return predictTableModel(model, x, prepared.rows);
}

/** The card's model's answers for prepared rows: the classical model it holds, or the network beside it. */
export async function predictPrepared(
  card: TableModelCard,
  prepared: PreparedRows,
  dir: string,
  options: NetworkOptions,
): Promise<RowPredictions> {
  const { predicted, probabilities } = card.network
    ? await (await import('./table-network-predict.js')).predictNetwork(card, prepared, dir, options)
    : classical(card, prepared, dir);
  const { label, classes } = card.preparation;
  return { label, classes, predicted, probabilities };
}
