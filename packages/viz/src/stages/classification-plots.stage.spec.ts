import { describe, expect, it } from '@jest/globals';
import type { ClassificationMetrics, Figure, TensorLike } from '@stagegraph/contracts';
import sharp from 'sharp';
import { confusionMatrixStage, misclassifiedStage, sampleImagesStage } from './classification-plots.stage.js';

const context = {
  stageId: 'figures',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

/** A stage's answer (a stage may also answer an Observable; these do not). */
const figureOf = (answer: unknown) => answer as Promise<{ figure: Figure }>;

const tensor = (shape: number[], values: number[]): TensorLike => {
  const data = Float32Array.from(values);
  return { shape, rank: shape.length, dtype: 'float32', data: async () => data, dataSync: () => data };
};

// two RGB images 3 high and 4 wide: the first all red, the second all blue
const rgb = (r: number, g: number, b: number) => Array.from({ length: 12 }, () => [r, g, b]).flat();
const images = tensor([2, 3, 4, 3], [...rgb(1, 0, 0), ...rgb(0, 0, 1)]);
const labels = tensor([2, 3], [1, 0, 0, 0, 0, 1]);
const classes = ['cat', 'dog', 'eel'];

/** The PNGs the grid embeds, decoded: their size, channels and first pixel. */
const embedded = (svg: string) =>
  Promise.all(
    [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map(async ([, base64]) => {
      const { data, info } = await sharp(Buffer.from(base64, 'base64')).raw().toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height, channels: info.channels, first: [...data.subarray(0, 3)] };
    }),
  );

describe('the image figures with class names and colour images', () => {
  it('captions misclassified RGB images "true → predicted" by class name, each image in colour at its own size', async () => {
    const predictions = { actual: [0, 2], predicted: [1, 2], classes };
    const { figure } = await figureOf(
      misclassifiedStage.run({ images, labels, predictions }, { count: 40, title: 'Wrong', columns: 10 }, context),
    );
    expect(figure.svg).toContain('>cat → dog</text>');
    expect(figure.svg).not.toContain('textLength'); // a short caption keeps its own width
    expect(figure.title).toBe('Wrong: 1 of 2');
    // long names are squeezed into the cell (84 px and its margin) instead of running into the next
    const long = { actual: [0], predicted: [1], classes: ['golden retriever', 'labrador retriever', 'eel'] };
    const squeezed = await figureOf(
      misclassifiedStage.run(
        { images, labels, predictions: long },
        { count: 40, title: 'Wrong', columns: 10 },
        context,
      ),
    );
    expect(squeezed.figure.svg).toContain(
      ' textLength="90" lengthAdjust="spacingAndGlyphs">golden retriever → labrador retriever</text>',
    );
    expect(await embedded(figure.svg)).toEqual([{ width: 4, height: 3, channels: 3, first: [255, 0, 0] }]);
  });

  it('captions sample images by name when given the class names, by label code when not', async () => {
    const params = { count: 2, title: 'Samples', columns: 2 };
    const named = await figureOf(
      sampleImagesStage.run({ images, labels, classes: { names: classes } }, params, context),
    );
    expect(named.figure.svg).toContain('>label cat</text>');
    expect(named.figure.svg).toContain('>label eel</text>');
    expect((await embedded(named.figure.svg))[1].first).toEqual([0, 0, 255]);
    const coded = await figureOf(sampleImagesStage.run({ images, labels }, params, context));
    expect(coded.figure.svg).toContain('>label 2</text>');
  });

  it('refuses images of 2 channels, naming the stage and input (exit 2)', async () => {
    const twoChannels = tensor([1, 1, 1, 2], [0, 0]);
    await expect(
      sampleImagesStage.run(
        { images: twoChannels, labels: tensor([1, 2], [1, 0]) },
        { count: 1, title: 't', columns: 1 },
        context,
      ),
    ).rejects.toThrow('figures.inputs.images: expected 1 (grey) or 3 (RGB) channels, got 2');
  });

  it("labels the confusion matrix's rows and columns with the metrics' class names", async () => {
    const metrics = {
      n: 2,
      accuracy: 0.5,
      macroPrecision: 0,
      macroRecall: 0,
      macroF1: 0,
      weightedF1: 0,
      classes,
      perClass: [],
      confusionMatrix: [
        [0, 1, 0],
        [0, 0, 0],
        [0, 0, 1],
      ],
    } satisfies ClassificationMetrics;
    const { figure } = await figureOf(confusionMatrixStage.run({ metrics }, { title: 'Confusion', scale: 1 }, context));
    for (const name of classes) expect(figure.svg).toMatch(new RegExp(`>${name}</text>`));
  });
});
