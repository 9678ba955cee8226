import type { StageContext } from '@stagegraph/pipeline';
import { fitSeeded, type FitHistory, type FitOptions } from './fit-seeded.js';
import { disposeModel } from './memory.js';
import type * as tf from './tf.js';

/**
 * `fitSeeded` as a training stage runs it: the stage's seed and cancel signal, progress per batch and
 * epoch, a summary line in the log; the model is disposed if training fails or is cancelled.
 */
export async function fitInStage(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: Omit<FitOptions, 'seed' | 'signal' | 'onBatchEnd' | 'onEpochEnd'>,
  ctx: StageContext,
): Promise<FitHistory> {
  try {
    const history = await fitSeeded(model, x, y, {
      ...options,
      seed: ctx.seed,
      signal: ctx.signal,
      onBatchEnd: (epoch, batch, batches, loss) =>
        ctx.progress({ epoch, epochs: options.epochs, batch, batches, batchSize: options.batchSize, loss }),
      onEpochEnd: (record, epochs) =>
        ctx.progress({
          epoch: record.epoch,
          epochs,
          loss: record.loss,
          valLoss: record.valLoss,
          metrics: record.metrics,
        }),
    });
    const best = history.epochs[history.bestEpoch - 1];
    const values = Object.entries({ loss: best.loss, val_loss: best.valLoss, ...best.metrics }).filter(
      ([, v]) => v !== undefined,
    );
    ctx.log(
      `${history.epochs.length} ${history.epochs.length === 1 ? 'epoch' : 'epochs'}${history.stoppedEarly ? ' (early stop)' : ''}; kept epoch ${history.bestEpoch}: ${values.map(([k, v]) => `${k} ${(v as number).toPrecision(4)}`).join(', ')}`,
    );
    return history;
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}
