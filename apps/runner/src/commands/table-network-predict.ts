import type { TableModelCard } from '@stagegraph/contracts';
import { disposeModel, loadLayersModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { assertFiniteWeights, predictRows } from '@stagegraph/models-cnn';
import { DataError } from '@stagegraph/pipeline';
import type { NetworkOptions, PreparedFeatures } from './table-predict-types.js';

/** The network beside the card (model.json, weights.bin), batch by batch: a regression head answers on the label's scale. */
export async function predictNetwork(
  card: TableModelCard,
  prepared: PreparedFeatures,
  dir: string,
  options: NetworkOptions,
) {
  if (!options.backendChosen) {
    const { threadsNotice } = await selectBackend(options.backend as never, { threads: options.threads });
    if (threadsNotice) options.notice(threadsNotice);
  }
  const model = await loadLayersModel(dir);
  try {
    assertFiniteWeights(model, dir);
    const width = card.preparation.features.length;
    if (model.inputs[0].shape[1] !== width)
      throw new DataError(
        `${dir}: expected a network reading the preparation's ${width} features, got one reading ${model.inputs[0].shape[1]}`,
      );
    // row-major float32, as the network trained on
    const x = new Float32Array(prepared.rows * width);
    prepared.columns.forEach((column, j) => {
      for (let r = 0; r < prepared.rows; r++) x[r * width + j] = column[r];
    });
    const out = predictRows(tf, model, x, prepared.rows, width);
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
