import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber } from './numbers.js';

const epochRecord = z.object({
  epoch: aNumber,
  loss: aNumber,
  valLoss: aNumber.optional(),
  /** Other metrics the model was compiled with (acc, val_acc...). */
  metrics: z.record(z.string(), aNumber),
});

/** What a training stage reports of its epochs, and which one's weights the model kept. */
export const TRAINING_HISTORY = defineContract({
  name: 'training history',
  kind: 'json',
  schema: z.object({
    epochs: z.array(epochRecord),
    /** 1-based epoch whose weights the model holds at the end. */
    bestEpoch: aNumber,
    stoppedEarly: z.boolean(),
    monitor: z.string(),
  }),
  expected: 'a training history {epochs: [{epoch, loss, metrics}], bestEpoch, stoppedEarly, monitor}',
});
export type TrainingHistory = ContractValue<typeof TRAINING_HISTORY>;
export type EpochRecord = TrainingHistory['epochs'][number];

/** How long a training or prediction stage took on how many samples (for model selection). */
export const TIMING = defineContract({
  name: 'timing',
  kind: 'json',
  schema: z.object({ seconds: aNumber, samples: aNumber, epochs: aNumber.optional() }),
  expected: 'a timing {seconds, samples}',
});
export type Timing = ContractValue<typeof TIMING>;
