import { tensorPort } from '@stagegraph/core-tensor/ports';
import { defineStage, port } from '@stagegraph/pipeline';
import { SERIES, TARGETS, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';
import { slidingWindows, windowsAfter, type Windows } from '../sliding-windows.js';

export const windowsStage = defineStage({
  type: 'preprocess.windows',
  version: 1,
  description:
    'Turns series into windows of seqLength values with the next value as target. Training windows stay inside the training period.',
  params: z.strictObject({
    seqLength: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(20)
      .describe('values in each input window; the target is the value after it'),
  }),
  inputs: { train: port(SERIES), test: port(SERIES) },
  outputs: {
    xTrain: tensorPort(WINDOWS),
    yTrain: tensorPort(TARGETS),
    xTest: tensorPort(WINDOWS),
    yTest: tensorPort(TARGETS),
  },
  async run(inputs, p) {
    const { tf } = await import('@stagegraph/core-tensor'); // TensorFlow.js loads when a stage that needs it runs
    const asTensors = ({ inputs, targets }: Windows, seqLength: number) => ({
      x: tf.tensor3d(inputs.flat(), [inputs.length, seqLength, 1]),
      y: tf.tensor2d(targets, [targets.length, 1]),
    });
    const { train, test } = inputs;
    const trainSet = asTensors(slidingWindows(train.values, p.seqLength, 'train'), p.seqLength);
    const testSet = asTensors(windowsAfter(train.values, test.values, p.seqLength), p.seqLength);
    return { xTrain: trainSet.x, yTrain: trainSet.y, xTest: testSet.x, yTest: testSet.y };
  },
});
