import type { TableModelCard } from '@stagegraph/contracts';
import { predictTableModel, TABLE_MODEL } from '@stagegraph/models-classical/table-models';
import { DataError } from '@stagegraph/pipeline';
import type { NetworkOptions, PreparedFeatures } from './table-predict-types.js';
import type { RowPredictions } from './table-predictions-out.js';

/** A classical model's answers: its features gathered from the prepared ones by name (its own order). */
function classical(card: TableModelCard, prepared: PreparedFeatures, dir: string) {
  const problem = TABLE_MODEL.check?.(card.model);
  if (problem) throw new DataError(`${dir}: expected a classical model in table-model.json, ${problem}`);
  const model = card.model as Parameters<typeof predictTableModel>[0];
  const from = model.features.map((name) => card.preparation.features.indexOf(name));
  const missing = from.indexOf(-1);
  if (missing >= 0)
    throw new DataError(
      `${dir}: expected the model's feature "${model.features[missing]}" among the preparation's, got none`,
    );
  const x = new Float64Array(prepared.rows * from.length);
  from.forEach((feature, j) => {
    const column = prepared.columns[feature];
    for (let r = 0; r < prepared.rows; r++) x[r * from.length + j] = column[r];
  });
  return predictTableModel(model, x, prepared.rows);
}

/** The card's model's answers for prepared rows: the classical model it holds, or the network beside it. */
export async function predictPrepared(
  card: TableModelCard,
  prepared: PreparedFeatures,
  dir: string,
  options: NetworkOptions,
): Promise<RowPredictions> {
  const { predicted, probabilities } = card.network
    ? await (await import('./table-network-predict.js')).predictNetwork(card, prepared, dir, options)
    : classical(card, prepared, dir);
  const { label, classes } = card.preparation;
  return { label, classes, predicted, probabilities };
}
