import { defineStage, port } from '@stagegraph/pipeline';
import { NUMBERS, SCALER, TARGETS } from '@stagegraph/contracts';
import { z } from 'zod';
import { MinMaxScaler } from '../minmax-scaler.js';

export const inverseMinMaxStage = defineStage({
  type: 'preprocess.inverse-minmax',
  version: 1,
  description: 'Maps scaled values (a tensor) back to the original units with a fitted scaler.',
  params: z.strictObject({}),
  inputs: { values: port(TARGETS), scaler: port(SCALER) },
  outputs: { values: port(NUMBERS) },
  async run(inputs) {
    const scaler = MinMaxScaler.fromJSON(inputs.scaler);
    return { values: scaler.inverseTransform(await inputs.values.data()) };
  },
});
