import type { EpochRecord, TrainingHistory } from '@stagegraph/contracts';
import { CancelledError, SeededRandom } from '@stagegraph/pipeline';
import type { AugmentOptions } from './augment/augment-options.js';
import { augmentation, gatherRows, type Augmentation } from './augment/augmented-rows.js';
import * as tf from './tf.js';

/** What fitSeeded returns: the TRAINING_HISTORY contract's type, which a training stage hands on. */
export type FitHistory = TrainingHistory;
export type { EpochRecord };

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** The last fraction of the samples (before shuffling, as Keras does) held out for validation. */
  validationSplit: number;
  /** Validation samples of their own (a data stage's split); then validationSplit is not used. */
  validationData?: [tf.Tensor, tf.Tensor];
  /** Stop after this many epochs without improvement of the monitored loss; 0 turns it off. */
  patience: number;
  /** Put back the weights of the best epoch when training stops. */
  restoreBestWeights?: boolean;
  /** What "best" means: a loss (lower is better) or an accuracy (higher); default val_loss, or loss without validation. */
  monitor?: 'loss' | 'val_loss' | 'acc' | 'val_acc';
  /** Multiply the learning rate by `factor` after `patience` epochs without improvement (Keras' ReduceLROnPlateau). */
  reduceLrOnPlateau?: { factor: number; patience: number; minLr?: number };
  /** Random changes to the training images, a fresh draw per image and epoch; validation rows are never augmented. */
  augment?: AugmentOptions;
  seed: number;
  signal?: AbortSignal;
  onBatchEnd?: (epoch: number, batch: number, batches: number, loss: number) => void;
  onEpochEnd?: (record: EpochRecord, epochs: number) => void;
}

/**
 * `model.fit` one epoch at a time, shuffled with a seeded generator (tfjs shuffles with
 * Math.random), with early stopping on validation loss that restores the best weights, progress
 * per batch, and cancellation through an AbortSignal. Same code path on every backend.
 */
export async function fitSeeded(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: FitOptions,
): Promise<FitHistory> {
  const { nTrain, xVal, yVal, validates } = splitValidation(x, y, options);
  const random = new SeededRandom(options.seed);
  const augment = augmentation(options.augment, options.seed, x);
  const monitor = options.monitor ?? (validates ? 'val_loss' : 'loss');
  if (monitor.startsWith('val_') && !validates) throw new Error(`monitoring ${monitor} needs a validation split`);
  const sign = monitor.endsWith('acc') ? -1 : 1; // accuracies improve upwards
  const batches = Math.ceil(nTrain / options.batchSize);
  const history: FitHistory = { epochs: [], bestEpoch: 0, stoppedEarly: false, monitor };
  let best = Infinity;
  let bestWeights: tf.Tensor[] | undefined;
  let sinceBest = 0;
  let sinceLrChange = 0;
  const optimizer = model.optimizer as unknown as { learningRate?: number };
  let where = 'before the first epoch';
  const yieldToEventLoop = eventLoopYielder();
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (options.signal?.aborted) throw new CancelledError(`training, ${where}`);
      const validation = validates && yVal ? ([xVal, yVal] as [tf.Tensor, tf.Tensor]) : undefined;
      const epochRows = { x, y, order: random.permutation(nTrain), validation, augment };
      const result = await fitOneEpoch(model, epochRows, options.batchSize, async (batch, loss) => {
        where = `epoch ${epoch}, batch ${batch} of ${batches}`;
        options.onBatchEnd?.(epoch, batch, batches, loss);
        if (options.signal?.aborted) model.stopTraining = true;
        await yieldToEventLoop();
      });
      if (options.signal?.aborted) throw new CancelledError(`training, ${where}`);
      const logs = Object.fromEntries(
        Object.entries(result.history).map(([name, values]) => [name, Number(values[0])]),
      );
      const { loss, val_loss: valLoss, ...metrics } = logs;
      const record: EpochRecord = { epoch, loss, valLoss, metrics };
      history.epochs.push(record);
      options.onEpochEnd?.(record, options.epochs);
      const monitored = sign * (monitor === 'val_loss' ? valLoss : monitor === 'loss' ? loss : metrics[monitor]);
      if (monitored < best) {
        best = monitored;
        history.bestEpoch = epoch;
        sinceBest = 0;
        sinceLrChange = 0;
        if (options.restoreBestWeights !== false) {
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = model.getWeights().map((w) => w.clone());
        }
      } else {
        const plateau = options.reduceLrOnPlateau;
        if (plateau && ++sinceLrChange >= plateau.patience && typeof optimizer.learningRate === 'number') {
          optimizer.learningRate = Math.max(plateau.minLr ?? 0, optimizer.learningRate * plateau.factor);
          sinceLrChange = 0;
        }
        if (options.patience > 0 && ++sinceBest >= options.patience) {
          history.stoppedEarly = true;
          break;
        }
      }
    }
    if (bestWeights && history.bestEpoch !== history.epochs.length) model.setWeights(bestWeights);
    if (!bestWeights || options.restoreBestWeights === false) history.bestEpoch = history.epochs.length;
    return history;
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    if (!options.validationData) {
      xVal?.dispose(); // slices made here; the caller's validation tensors stay theirs
      yVal?.dispose();
    }
  }
}

interface EpochRows {
  x: tf.Tensor;
  y: tf.Tensor;
  /** The training rows of x and y, in this epoch's order. */
  order: Int32Array;
  validation?: [tf.Tensor, tf.Tensor];
  /** Applied to x's training rows only. */
  augment?: Augmentation;
}

/** One epoch of `model.fit` over the rows in `order`, gathered (and augmented) for the epoch and freed after it. */
async function fitOneEpoch(
  model: tf.LayersModel,
  { x, y, order, validation, augment }: EpochRows,
  batchSize: number,
  onBatchEnd: (batch: number, loss: number) => Promise<void>,
): Promise<tf.History> {
  const xs = gatherRows(x, order, augment);
  let ys: tf.Tensor | undefined;
  try {
    ys = gatherRows(y, order);
    return await model.fit(xs, ys, {
      epochs: 1,
      batchSize,
      shuffle: false,
      verbose: 0,
      yieldEvery: 'never',
      validationData: validation,
      callbacks: { onBatchEnd: (batch, logs) => onBatchEnd(batch + 1, logs?.loss ?? NaN) },
    });
  } finally {
    xs.dispose();
    ys?.dispose();
  }
}

/**
 * Fast batches never give the event loop a turn on their own (tfjs only awaits promises), and then
 * Ctrl-C, timers and I/O wait for the end of training: the returned function yields every 50 ms.
 */
function eventLoopYielder(): () => Promise<void> {
  let lastYield = performance.now();
  return async () => {
    if (performance.now() - lastYield < 50) return;
    await new Promise((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };
}

/** The training rows x[0, nTrain) and the validation data: the caller's own, or the last validationSplit of x. */
function splitValidation(x: tf.Tensor, y: tf.Tensor, options: FitOptions) {
  const n = x.shape[0];
  const own = options.validationData;
  const nVal = own ? 0 : Math.floor(n * options.validationSplit);
  const nTrain = n - nVal;
  if (nTrain < 1)
    throw new Error(`no training samples left after a validation split of ${options.validationSplit} on ${n} samples`);
  // Training rows are x[0, nTrain): each epoch gathers them straight from x, so no second copy of
  // the training set is made (on wasm a copy is ~190 MB for 60k MNIST images, and the heap never shrinks).
  const [xVal, yVal] = own ?? (nVal > 0 ? [x.slice(nTrain), y.slice(nTrain)] : [undefined, undefined]);
  return { nTrain, xVal, yVal, validates: xVal !== undefined && xVal.shape[0] > 0 };
}
