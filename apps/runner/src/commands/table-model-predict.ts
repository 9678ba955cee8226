import type { TableModelCard } from '@stagegraph/contracts';
import type { PreparedRows } from '@stagegraph/tables';
import { DataError } from '@stagegraph/pipeline';
import type { RowPredictions } from './table-predictions-out.js';

export interface NetworkOptions {
  backend?: string;
  threads?: number;
  /** A notice about the threads asked for, to show once. */
  notice(text: string): void;
}

/** A classical model's answers: its features gathered from the prepared ones by name (its own order). */
async function classical(card: TableModelCard, prepared: PreparedRows, dir: string) {
  const { predictTableModel, TABLE_MODEL } = await import('@stagegraph/models-classical');
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

/** The network beside the card (model.json, weights.bin), batch by batch: a regression head answers on the label's scale. */
async function network(card: TableModelCard, prepared: PreparedRows, dir: string, options: NetworkOptions) {
  const { disposeModel, loadLayersModel, selectBackend, tf } = await import('@stagegraph/core-tensor');
  const { assertFiniteWeights, predictRows } = await import('@stagegraph/models-cnn');
  const { threadsNotice } = await selectBackend(options.backend as never, { threads: options.threads });
  if (threadsNotice) options.notice(threadsNotice);
  const model = await loadLayersModel(dir);
  try {
    assertFiniteWeights(model, dir);
    const width = card.preparation.features.length;
    if (model.inputs[0].shape[1] !== width)
      throw new DataError(
        `${dir}: expected a network reading the preparation's ${width} features, got one reading ${model.inputs[0].shape[1]}`,
      );
    const out = predictRows(tf, model, prepared.features, prepared.rows, width);
    const classes = model.outputs[0].shape[1] as number;
    if (classes === 1) return { predicted: out };
    const predicted = new Float64Array(prepared.rows);
    for (let r = 0; r < prepared.rows; r++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (out[r * classes + k] > out[r * classes + best]) best = k;
      predicted[r] = best;
    }
    return { predicted, probabilities: out };
  } finally {
    disposeModel(model);
  }
}

/** The card's model's answers for prepared rows: the classical model it holds, or the network beside it. */
export async function predictPrepared(
  card: TableModelCard,
  prepared: PreparedRows,
  dir: string,
  options: NetworkOptions,
): Promise<RowPredictions> {
  const { predicted, probabilities } = card.network
    ? await network(card, prepared, dir, options)
    : await classical(card, prepared, dir);
  const { label, classes } = card.preparation;
  return { label, classes, predicted, probabilities };
}
