import { tf } from '@stagegraph/core-tensor';
import { defineStage, port } from '@stagegraph/pipeline';
import { SERIES, TARGETS, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';
import type { Series } from '../series.js';
import { slidingWindows, windowsAfter, type Windows } from '../sliding-windows.js';

const asTensors = ({ inputs, targets }: Windows, seqLength: number) => ({
  x: tf.tensor3d(inputs.flat(), [inputs.length, seqLength, 1]),
  y: tf.tensor2d(targets, [targets.length, 1]),
});

export const windowsStage = defineStage({
  type: 'preprocess.windows',
  version: 1,
  description: 'Turns series into windows of seqLength values with the next value as target. Training windows stay inside the training period.',
  params: z.strictObject({ seqLength: z.number().int().min(1).max(10000).default(20).describe('values in each input window; the target is the value after it') }),
  inputs: { train: port(SERIES), test: port(SERIES) },
  outputs: { xTrain: port(WINDOWS), yTrain: port(TARGETS), xTest: port(WINDOWS), yTest: port(TARGETS) },
  async run(inputs, p) {
    const train = inputs.train as Series;
    const test = inputs.test as Series;
    const trainSet = asTensors(slidingWindows(train.values, p.seqLength, 'train'), p.seqLength);
    const testSet = asTensors(windowsAfter(train.values, test.values, p.seqLength), p.seqLength);
    return { xTrain: trainSet.x, yTrain: trainSet.y, xTest: testSet.x, yTest: testSet.y };
  },
});
