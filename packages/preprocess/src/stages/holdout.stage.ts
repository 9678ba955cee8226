import { tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, SeededRandom } from '@stagegraph/pipeline';
import { IMAGES, ONE_HOT_LABELS } from '@stagegraph/contracts';
import { z } from 'zod';

export const holdoutStage = defineStage({
  type: 'preprocess.holdout',
  version: 1,
  description:
    'Holds out a validation split of labelled images (a seeded shuffle, or the last rows) so that candidate models are compared on samples none of them trained on.',
  params: z.strictObject({
    fraction: z.number().gt(0).lt(1).default(0.1).describe('the share of samples held out for validation'),
    shuffle: z
      .boolean()
      .default(true)
      .describe("draw the validation samples by the stage's seed; false takes the last rows"),
  }),
  inputs: { x: tensorPort(IMAGES), y: tensorPort(ONE_HOT_LABELS) },
  outputs: {
    xTrain: tensorPort(IMAGES),
    yTrain: tensorPort(ONE_HOT_LABELS),
    xValidation: tensorPort(IMAGES),
    yValidation: tensorPort(ONE_HOT_LABELS),
  },
  async run(inputs, p, ctx) {
    const { x, y } = inputs;
    const n = x.shape[0];
    if (y.shape[0] !== n)
      throw new DataError(
        `${ctx.stageId}.inputs: expected as many labels as images, got ${y.shape[0]} labels for ${n} images`,
      );
    const held = Math.round(n * p.fraction);
    if (held < 1 || held >= n)
      throw new DataError(
        `${ctx.stageId}.params.fraction: expected a split that leaves samples on both sides of ${n}, got ${held} held out`,
      );
    const order = p.shuffle ? new SeededRandom(ctx.seed).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const train = Array.from(order.subarray(0, n - held)).sort((a, b) => a - b); // keep the data's order within each side
    const validation = Array.from(order.subarray(n - held)).sort((a, b) => a - b);
    const { tf } = await import('@stagegraph/core-tensor');
    return tf.tidy(() => ({
      xTrain: tf.gather(x, train),
      yTrain: tf.gather(y, train),
      xValidation: tf.gather(x, validation),
      yValidation: tf.gather(y, validation),
    }));
  },
});
