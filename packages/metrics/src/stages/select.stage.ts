import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { CLASSIFICATION_METRICS, MODEL_SELECTION } from '@stagegraph/contracts';
import { z } from 'zod';
import { selectModel } from '../model-selection.js';

export const selectModelStage = defineStage({
  type: 'metrics.select',
  version: 1,
  description:
    'Ranks candidate models by one metric measured on the same split (inputs named by the config, one per candidate: "cnn": "cnnEval.metrics") and reports every candidate: accuracy, macro F1, training and prediction seconds, and the best.',
  params: z.strictObject({
    metric: z
      .string()
      .min(1)
      .default('accuracy')
      .describe('the metric that ranks the candidates (a numeric field of their metrics)'),
    goal: z.enum(['max', 'min']).default('max').describe('max for accuracy or F1, min for a loss or an error'),
  }),
  inputs: {},
  namedInputs: {
    ...port(CLASSIFICATION_METRICS),
    min: 2,
    description: "a candidate's classification metrics, under the candidate's name",
  },
  outputs: { metrics: port(MODEL_SELECTION) },
  async run(inputs, p, ctx) {
    try {
      return { metrics: selectModel(inputs, p.metric, p.goal) };
    } catch (error) {
      throw new DataError(`${ctx.stageId}.params.metric: ${(error as Error).message}`);
    }
  },
});
