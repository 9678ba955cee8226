import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber, numberList } from './numbers.js';

const classReport = z.object({
  /** The class's name, where the metrics were given class names (as a table model's per-class rows have it). */
  class: z.string().optional(),
  label: aNumber,
  precision: aNumber,
  recall: aNumber,
  f1: aNumber,
  support: aNumber,
});

/**
 * A classifier's scores on labelled samples; with timings wired, how long it took to train and
 * predict; with class names, `classes` beside the confusion matrix and a `class` in each per-class
 * row (the names TABLE_METRICS uses, so the report labels both kinds alike).
 */
export const CLASSIFICATION_METRICS = defineContract({
  name: 'classification metrics',
  kind: 'metrics',
  schema: z.object({
    n: aNumber,
    accuracy: aNumber,
    macroPrecision: aNumber,
    macroRecall: aNumber,
    macroF1: aNumber,
    weightedF1: aNumber,
    /** The class names, in the order of the confusion matrix's rows and columns (label k is `classes[k]`). */
    classes: z.array(z.string()).optional(),
    perClass: z.array(classReport),
    /** confusionMatrix[true][predicted] = count. */
    confusionMatrix: z.array(numberList),
    trainSeconds: aNumber.optional(),
    predictSeconds: aNumber.optional(),
    predictSamplesPerSecond: aNumber.optional(),
  }),
  expected: 'classification metrics {accuracy, confusionMatrix, ...}',
});
export type ClassificationMetrics = ContractValue<typeof CLASSIFICATION_METRICS>;
export type ClassReport = ClassificationMetrics['perClass'][number];

/** The class of each sample, true and predicted (label codes), and the class names where known. */
export const CLASS_PREDICTIONS = defineContract({
  name: 'class predictions',
  kind: 'json',
  schema: z
    .object({ actual: numberList, predicted: numberList, classes: z.array(z.string()).optional() })
    .refine((p) => p.actual.length === p.predicted.length),
  expected: 'class predictions {actual, predicted} of one length',
});
export type ClassPredictions = ContractValue<typeof CLASS_PREDICTIONS>;

const fileErrors = z.array(z.object({ file: z.string(), error: z.string() }));

/** The image files read, in tensor order, and those that could not be. */
export const IMAGE_FILES = defineContract({
  name: 'image file list',
  kind: 'json',
  schema: z.object({ files: z.array(z.string()), errors: fileErrors }),
  expected: 'an image file list {files, errors}',
});
export type ImageFiles = ContractValue<typeof IMAGE_FILES>;

const classProbability = z.object({ class: z.string(), probability: aNumber });

/**
 * The class of each image file by name (a digit model's are "0".."9"), its label code, the three
 * likeliest classes, every class's probability by name, and the files that could not be read.
 */
export const FILE_PREDICTIONS = defineContract({
  name: 'file predictions',
  kind: 'metrics',
  schema: z.object({
    predictions: z.array(
      z.object({
        file: z.string(),
        class: z.string(),
        /** The class's code: its column in the model's output. */
        label: aNumber,
        /** The likeliest classes, most likely first (at most 3). */
        top: z.array(classProbability),
        probabilities: z.record(z.string(), aNumber),
      }),
    ),
    errors: fileErrors,
  }),
  expected: 'file predictions {predictions, errors}',
});
export type FilePredictions = ContractValue<typeof FILE_PREDICTIONS>;
export type FileClassification = FilePredictions['predictions'][number];
export type ClassProbability = FileClassification['top'][number];

/** One image's classification from its probabilities (in label order) and the model's class names. */
export function classifiedAs(
  file: string,
  probabilities: ArrayLike<number>,
  classNames: readonly string[],
  topCount = 3,
): FileClassification {
  const ranked = Array.from(probabilities, (probability, label) => ({ label, probability })).sort(
    (a, b) => b.probability - a.probability || a.label - b.label,
  );
  const best = ranked[0]?.label ?? 0;
  return {
    file,
    class: classNames[best],
    label: best,
    top: ranked.slice(0, topCount).map((c) => ({ class: classNames[c.label], probability: c.probability })),
    probabilities: Object.fromEntries(classNames.map((name, k) => [name, probabilities[k]])),
  };
}

/** Candidate models ranked by one metric, with every candidate's numeric metrics. */
export const MODEL_SELECTION = defineContract({
  name: 'model selection',
  kind: 'metrics',
  schema: z.object({
    /** Every candidate's numeric metrics, by the name the config gave it. */
    models: z.record(z.string(), z.record(z.string(), aNumber)),
    /** Names from best to worst by `metric`. */
    ranking: z.array(z.string()),
    best: z.string(),
    metric: z.string(),
    goal: z.enum(['min', 'max']),
    /** The candidate the others are measured against (the mean or majority baseline of table models). */
    baseline: z.string().optional(),
    /** One sentence: who won, and by how much against the baseline. */
    verdict: z.string().optional(),
  }),
  expected: 'a model selection {models, best, ranking}',
});
export type ModelSelection = ContractValue<typeof MODEL_SELECTION>;
/** One candidate's figures: the numeric fields of its metrics (accuracy, macroF1, trainSeconds, ...). */
export type CandidateFigures = ModelSelection['models'][string];

/**
 * The name of each class, in label order (one-hot column k is `names[k]`), from the data stage to
 * the model it trains (stored in model.json), metrics, figures, predict and serve. `images` says
 * how a new image file becomes the model's input: MNIST's digit steps (crop, centre by mass) or a
 * plain resize to the model's input size and channels.
 */
export const CLASS_NAMES = defineContract({
  name: 'class names',
  kind: 'json',
  schema: z.object({
    names: z
      .array(z.string().min(1))
      .min(2)
      .refine((names) => new Set(names).size === names.length, 'class names must be distinct'),
    images: z.enum(['mnist-digits', 'resized']).optional(),
  }),
  expected: 'class names {names: [at least 2 distinct strings]}',
});
export type ClassNames = ContractValue<typeof CLASS_NAMES>;

/** "0".."9" for MNIST; "0".."k-1" for a model that was trained without class names. */
export function numberedClassNames(count: number): string[] {
  return Array.from({ length: count }, (_, k) => String(k));
}
