/**
 * Trains a table network one batch at a time (`trainOnBatch` on tensors built per batch from the
 * typed-array rows), shuffled by a seeded generator each epoch, with early stopping on the
 * validation rows' loss (or the training loss without them) that keeps the best epoch's weights.
 */
import type { EpochRecord, TrainingHistory } from '@stagegraph/contracts';
import type { tf } from '@stagegraph/core-tensor';
import { CancelledError, SeededRandom } from '@stagegraph/pipeline';
import { batchTensors, predictRows, type TableRows } from './row-batches.js';

export interface TableFitOptions {
  epochs: number;
  batchSize: number;
  /** Epochs without a better monitored loss before stopping; 0 turns early stopping off. */
  patience: number;
  seed: number;
  signal?: AbortSignal;
  onBatchEnd?: (epoch: number, batch: number, batches: number, loss: number) => void;
  onEpochEnd?: (record: EpochRecord) => void;
}

/** Loss (cross-entropy or mean squared error) and accuracy of the model on rows, computed batch by batch. */
function evaluateRows(tfjs: typeof tf, model: tf.LayersModel, data: TableRows): { loss: number; acc?: number } {
  const { rows, cols, classes, y } = data;
  const out = predictRows(tfjs, model, data.x, rows, cols);
  let loss = 0;
  let right = 0;
  for (let r = 0; r < rows; r++) {
    if (classes === 0) {
      loss += (out[r] - y[r]) ** 2;
      continue;
    }
    loss -= Math.log(Math.max(out[r * classes + y[r]], 1e-7));
    let best = 0;
    for (let k = 1; k < classes; k++) if (out[r * classes + k] > out[r * classes + best]) best = k;
    if (best === y[r]) right++;
  }
  return classes > 0 ? { loss: loss / rows, acc: right / rows } : { loss: loss / rows };
}

/** One epoch over the training rows in a seeded order: the mean loss and accuracy over its rows. */
async function trainEpoch(
  tfjs: typeof tf,
  model: tf.LayersModel,
  data: TableRows,
  order: Int32Array,
  onBatch: (batch: number, batches: number, loss: number) => Promise<void>,
  batchSize: number,
): Promise<{ loss: number; acc?: number }> {
  const batches = Math.ceil(data.rows / batchSize);
  let loss = 0;
  let acc = 0;
  for (let b = 0; b < batches; b++) {
    const from = b * batchSize;
    const to = Math.min(data.rows, from + batchSize);
    const [xs, ys] = batchTensors(tfjs, data, order, from, to);
    try {
      const result = await model.trainOnBatch(xs, ys);
      const [batchLoss, batchAcc] = Array.isArray(result) ? result : [result];
      loss += batchLoss * (to - from);
      acc += (batchAcc ?? 0) * (to - from);
      await onBatch(b + 1, batches, batchLoss);
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }
  return data.classes > 0 ? { loss: loss / data.rows, acc: acc / data.rows } : { loss: loss / data.rows };
}

export async function fitTableBatches(
  tfjs: typeof tf,
  model: tf.LayersModel,
  train: TableRows,
  validation: TableRows | undefined,
  o: TableFitOptions,
): Promise<TrainingHistory> {
  const random = new SeededRandom(o.seed);
  const monitor = validation ? 'val_loss' : 'loss';
  const history: TrainingHistory = { epochs: [], bestEpoch: 0, stoppedEarly: false, monitor };
  let best = Infinity;
  let bestWeights: tf.Tensor[] | undefined;
  let sinceBest = 0;
  const yieldNow = eventLoopYielder();
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const onBatch = async (batch: number, batches: number, loss: number) => {
        o.onBatchEnd?.(epoch, batch, batches, loss);
        await yieldNow();
        if (o.signal?.aborted) throw new CancelledError(`training, epoch ${epoch}, batch ${batch} of ${batches}`);
      };
      const fitted = await trainEpoch(tfjs, model, train, random.permutation(train.rows), onBatch, o.batchSize);
      const checked = validation ? evaluateRows(tfjs, model, validation) : undefined;
      const metrics: Record<string, number> = {};
      if (fitted.acc !== undefined) metrics.acc = fitted.acc;
      if (checked?.acc !== undefined) metrics.val_acc = checked.acc;
      const record: EpochRecord = { epoch, loss: fitted.loss, valLoss: checked?.loss, metrics };
      history.epochs.push(record);
      o.onEpochEnd?.(record);
      const monitored = checked ? checked.loss : fitted.loss;
      if (monitored < best) {
        [best, history.bestEpoch, sinceBest] = [monitored, epoch, 0];
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      } else if (o.patience > 0 && ++sinceBest >= o.patience) {
        history.stoppedEarly = true;
        break;
      }
    }
    if (bestWeights && history.bestEpoch !== history.epochs.length) model.setWeights(bestWeights);
    if (!bestWeights) history.bestEpoch = history.epochs.length;
    return history;
  } finally {
    bestWeights?.forEach((w) => w.dispose());
  }
}

/** Gives the event loop a turn every 50 ms (Ctrl-C, timers), as fitSeeded does. */
function eventLoopYielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 50) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}
