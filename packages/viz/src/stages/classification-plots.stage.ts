import { DataError, defineStage, port } from '@stagegraph/pipeline';
import {
  argmaxRows,
  CLASS_NAMES,
  CLASS_PREDICTIONS,
  CLASSIFICATION_METRICS,
  FIGURE,
  IMAGES,
  ONE_HOT_LABELS,
  TRAINING_HISTORY,
  type TensorLike,
} from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { confusionMatrixSpec, trainingCurvesSpec } from '../classification-charts.js';

// Vega and sharp load when a figure is drawn, not when the stages are defined.
const renderer = async () => (await import('../render-vega-lite.js')).renderVegaLite;
const gridRenderer = async () => (await import('../image-grid.js')).renderImageGrid;

export const trainingCurvesStage = defineStage({
  type: 'viz.training-curves',
  version: 2,
  description: 'Loss and every compiled metric (accuracy...) per epoch, training and validation.',
  params: z.strictObject({
    title: z.string().default('Training curves').describe('the figure title'),
    scale: figureScale,
  }),
  inputs: { history: port(TRAINING_HISTORY) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const renderVegaLite = await renderer();
    return { figure: await renderVegaLite(trainingCurvesSpec(inputs.history.epochs, p.title), { scale: p.scale }) };
  },
});

export const confusionMatrixStage = defineStage({
  type: 'viz.confusion-matrix',
  version: 3,
  description:
    "The confusion matrix as a heatmap with counts, its rows and columns labelled with the metrics' class names where they have them.",
  params: z.strictObject({
    title: z.string().default('Confusion matrix (test set)').describe('the figure title'),
    scale: figureScale,
  }),
  inputs: { metrics: port(CLASSIFICATION_METRICS) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const matrix = inputs.metrics.confusionMatrix;
    if (!matrix) throw new DataError(`${ctx.stageId}.inputs.metrics: expected a confusionMatrix, got none`);
    const renderVegaLite = await renderer();
    return {
      figure: {
        ...(await renderVegaLite(confusionMatrixSpec(matrix, p.title, inputs.metrics.classes), { scale: p.scale })),
        shows: ['confusionMatrix'],
      },
    };
  },
});

/** Each image's pixels and label code, and the grid's image shape (grey or RGB, any size). */
async function imagesAndClasses(images: TensorLike, labels: TensorLike, where: string) {
  const [count, height, width, channels] = images.shape;
  if (channels !== 1 && channels !== 3)
    throw new DataError(`${where}.inputs.images: expected 1 (grey) or 3 (RGB) channels, got ${channels}`);
  const pixels = await images.data();
  const classes = argmaxRows(await labels.data(), labels.shape[1]);
  const classOf = (i: number) => classes[i];
  const each = height * width * channels;
  const imageAt = (i: number) => Array.prototype.slice.call(pixels, i * each, (i + 1) * each) as number[];
  return { shape: { height, width, channels: channels as 1 | 3 }, classOf, imageAt, count };
}

/** A label code's name: the class names given, else the code itself (MNIST's digits read the same either way). */
const namer = (names?: readonly string[]) => (code: number) => names?.[code] ?? String(code);

export const sampleImagesStage = defineStage({
  type: 'viz.sample-images',
  version: 3, // 3: long captions squeezed into their cell
  description:
    'A grid of the first images of a set (grey or colour) with their labels, by class name where given, to look at the data.',
  params: z.strictObject({
    count: z.number().int().min(1).max(400).default(40).describe('images shown'),
    title: z.string().default('Sample training images').describe('the figure title'),
    columns: z.number().int().min(1).max(40).default(10).describe('images per row'),
  }),
  inputs: {
    images: port(IMAGES),
    labels: port(ONE_HOT_LABELS),
    classes: port(CLASS_NAMES, { optional: true, description: 'from the data stage: captions by name' }),
  },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const { shape, classOf, imageAt, count } = await imagesAndClasses(inputs.images, inputs.labels, ctx.stageId);
    const name = namer(inputs.classes?.names);
    const renderImageGrid = await gridRenderer();
    const shown = Array.from({ length: Math.min(p.count, count) }, (_, i) => ({
      pixels: imageAt(i),
      caption: `label ${name(classOf(i))}`,
    }));
    return { figure: await renderImageGrid(shown, { title: p.title, ...shape, columns: p.columns }) };
  },
});

export const misclassifiedStage = defineStage({
  type: 'viz.misclassified',
  version: 3, // 3: long captions squeezed into their cell
  description:
    'A grid of the images the model got wrong (grey or colour), with true and predicted labels, by class name where metrics.classification was given names.',
  params: z.strictObject({
    count: z.number().int().min(1).max(400).default(40).describe('misclassified images shown, at most'),
    title: z
      .string()
      .default('Misclassified test images (true → predicted)')
      .describe('the figure title (the count of errors is added)'),
    columns: z.number().int().min(1).max(40).default(10).describe('images per row'),
  }),
  inputs: {
    images: port(IMAGES),
    labels: port(ONE_HOT_LABELS),
    predictions: port(CLASS_PREDICTIONS, { description: 'from metrics.classification' }),
  },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const { shape, imageAt } = await imagesAndClasses(inputs.images, inputs.labels, ctx.stageId);
    const { actual, predicted, classes } = inputs.predictions;
    const name = namer(classes);
    const renderImageGrid = await gridRenderer();
    const wrong = actual.flatMap((a, i) => (a !== predicted[i] ? [i] : [])).slice(0, p.count);
    const shown = wrong.map((i) => ({
      pixels: imageAt(i),
      caption: `${name(actual[i])} → ${name(predicted[i])}`,
      highlight: true,
    }));
    return {
      figure: await renderImageGrid(shown, {
        title: `${p.title}: ${actual.filter((a, i) => a !== predicted[i]).length} of ${actual.length}`,
        ...shape,
        columns: p.columns,
      }),
    };
  },
});
