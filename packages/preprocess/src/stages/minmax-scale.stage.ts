import { defineStage, port } from '@stagegraph/pipeline';
import { SCALER, SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { MinMaxScaler } from '../minmax-scaler.js';

export const minMaxScaleStage = defineStage({
  type: 'preprocess.minmax-scale',
  version: 1,
  description: 'Scales train and test series to [0, 1] by the range of the training part (or of all data).',
  params: z.strictObject({
    fitOn: z
      .enum(['train', 'all'])
      .default('train')
      .describe('"all" reproduces the origin recipe, which leaks the test range into training'),
  }),
  inputs: { train: port(SERIES), test: port(SERIES) },
  outputs: { train: port(SERIES), test: port(SERIES), scaler: port(SCALER) },
  async run(inputs, p) {
    const { train, test } = inputs;
    const scaler = MinMaxScaler.fit(p.fitOn === 'train' ? train.values : [...train.values, ...test.values]);
    return {
      train: { ...train, values: scaler.transform(train.values) },
      test: { ...test, values: scaler.transform(test.values) },
      scaler: scaler.toJSON(),
    };
  },
});
