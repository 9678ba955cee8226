import { DataError, defineStage, port } from '@stagegraph/pipeline';
import {
  argmaxRows,
  CLASS_NAMES,
  CLASS_PREDICTIONS,
  CLASS_PROBABILITIES,
  CLASSIFICATION_METRICS,
  ONE_HOT_LABELS,
  TIMING,
} from '@stagegraph/contracts';
import { z } from 'zod';
import { classificationReport, withClassNames } from '../classification.js';

export const classificationMetricsStage = defineStage({
  type: 'metrics.classification',
  version: 2,
  description:
    'Accuracy, per-class precision, recall and F1 (macro and weighted) and the confusion matrix, from class probabilities and one-hot labels; with class names wired, per class by name (and the figures drawn from it are labelled so); with the timing inputs wired, also how long the model took to train and predict.',
  params: z.strictObject({}),
  inputs: {
    probabilities: port(CLASS_PROBABILITIES),
    labels: port(ONE_HOT_LABELS),
    classes: port(CLASS_NAMES, {
      optional: true,
      description: 'from the data stage: per-class rows, the confusion matrix and misclassified images by name',
    }),
    trainTiming: port(TIMING, { optional: true, description: "the training stage's timing: adds trainSeconds" }),
    predictTiming: port(TIMING, {
      optional: true,
      description: "the prediction stage's timing: adds predictSeconds and predictSamplesPerSecond",
    }),
  },
  outputs: { metrics: port(CLASSIFICATION_METRICS), predictions: port(CLASS_PREDICTIONS) },
  async run(inputs, _p, ctx) {
    const { probabilities, labels } = inputs;
    if (probabilities.shape.join() !== labels.shape.join()) {
      throw new DataError(
        `${ctx.stageId}.inputs: expected probabilities and labels of one shape, got [${probabilities.shape}] and [${labels.shape}]`,
      );
    }
    const classes = labels.shape[1];
    const names = inputs.classes?.names;
    if (names && names.length !== classes)
      throw new DataError(
        `${ctx.stageId}.inputs.classes: expected ${classes} class names (one per label column), got ${names.length}`,
      );
    const actual = argmaxRows(await labels.data(), classes);
    const predicted = argmaxRows(await probabilities.data(), classes);
    const { trainTiming: train, predictTiming: predict } = inputs;
    const timings = {
      ...(train && { trainSeconds: train.seconds }),
      ...(predict && { predictSeconds: predict.seconds, predictSamplesPerSecond: predict.samples / predict.seconds }),
    };
    const report = classificationReport(actual, predicted, classes);
    return {
      metrics: { ...(names ? withClassNames(report, names) : report), ...timings },
      predictions: { actual: Array.from(actual), predicted: Array.from(predicted), ...(names && { classes: names }) },
    };
  },
});
