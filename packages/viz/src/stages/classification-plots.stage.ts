import { DataError, defineStage, port } from '@stagegraph/pipeline';
import {
  argmaxRows,
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
  version: 2,
  description: 'The confusion matrix as a heatmap with counts.',
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
        ...(await renderVegaLite(confusionMatrixSpec(matrix, p.title), { scale: p.scale })),
        shows: ['confusionMatrix'],
      },
    };
  },
});

async function imagesAndClasses(images: TensorLike, labels: TensorLike) {
  const [, height, width] = images.shape;
  if (height !== width) throw new DataError(`expected square images, got ${height}x${width}`);
  const pixels = await images.data();
  const classes = argmaxRows(await labels.data(), labels.shape[1]);
  const classOf = (i: number) => classes[i];
  const imageAt = (i: number) =>
    Array.prototype.slice.call(pixels, i * height * width, (i + 1) * height * width) as number[];
  return { size: height, classOf, imageAt, count: images.shape[0] };
}

export const sampleImagesStage = defineStage({
  type: 'viz.sample-images',
  version: 1,
  description: 'A grid of the first images of a set with their labels, to look at the data.',
  params: z.strictObject({
    count: z.number().int().min(1).max(400).default(40).describe('images shown'),
    title: z.string().default('Sample training images').describe('the figure title'),
    columns: z.number().int().min(1).max(40).default(10).describe('images per row'),
  }),
  inputs: { images: port(IMAGES), labels: port(ONE_HOT_LABELS) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const { size, classOf, imageAt, count } = await imagesAndClasses(inputs.images, inputs.labels);
    const renderImageGrid = await gridRenderer();
    const shown = Array.from({ length: Math.min(p.count, count) }, (_, i) => ({
      pixels: imageAt(i),
      caption: `label ${classOf(i)}`,
    }));
    return { figure: await renderImageGrid(shown, { title: p.title, size, columns: p.columns }) };
  },
});

export const misclassifiedStage = defineStage({
  type: 'viz.misclassified',
  version: 1,
  description: 'A grid of the images the model got wrong, with true and predicted labels.',
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
  async run(inputs, p) {
    const { size, imageAt } = await imagesAndClasses(inputs.images, inputs.labels);
    const { actual, predicted } = inputs.predictions;
    const renderImageGrid = await gridRenderer();
    const wrong = actual.flatMap((a, i) => (a !== predicted[i] ? [i] : [])).slice(0, p.count);
    const shown = wrong.map((i) => ({
      pixels: imageAt(i),
      caption: `${actual[i]} → ${predicted[i]}`,
      highlight: true,
    }));
    return {
      figure: await renderImageGrid(shown, {
        title: `${p.title}: ${actual.filter((a, i) => a !== predicted[i]).length} of ${actual.length}`,
        size,
        columns: p.columns,
      }),
    };
  },
});
