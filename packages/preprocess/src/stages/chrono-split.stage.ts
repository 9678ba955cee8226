import { defineStage, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { chronologicalSplit } from '../chronological-split.js';

export const chronoSplitStage = defineStage({
  type: 'preprocess.chrono-split',
  version: 1,
  description: 'Splits a dated series in time: the first part for training, the rest for testing.',
  params: z.strictObject({
    trainFraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.8)
      .describe('the earliest fraction of the rows is the training part, the rest the test part'),
  }),
  inputs: { series: port(SERIES) },
  outputs: { train: port(SERIES), test: port(SERIES) },
  async run(inputs, p) {
    return chronologicalSplit(inputs.series, p.trainFraction);
  },
});
