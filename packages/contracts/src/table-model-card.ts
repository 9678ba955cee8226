import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { TABLE_PREPARATION } from './table-preparation.js';

export const TABLE_MODEL_CARD_FORMAT = 'stagegraph-table-model-card' as const;
/** The card's file in a model folder (beside a network's model.json and weights.bin). */
export const TABLE_MODEL_CARD_FILE = 'table-model.json';

/**
 * What `stagegraph predict` needs of a model trained on a table, beside its weights: the preparation
 * fitted on its training rows (so new rows are prepared exactly alike) and the model itself. A
 * network's weights are the TensorFlow.js model in the same folder (`network: true`); a classical
 * model is plain JSON (models-classical's TABLE_MODEL) held in `model`.
 */
export const TABLE_MODEL_CARD = defineContract({
  name: 'table model card',
  kind: 'table-model',
  schema: z
    .object({
      format: z.literal(TABLE_MODEL_CARD_FORMAT),
      preparation: TABLE_PREPARATION.schema!,
      network: z.boolean(),
      model: z.unknown().optional(),
    })
    .refine((card) => card.network === (card.model === undefined), {
      message: 'expected either network: true (weights beside the card) or a classical model, not both or neither',
    }),
  expected: `a table model card {format: "${TABLE_MODEL_CARD_FORMAT}", preparation, network, model?}`,
});
export type TableModelCard = ContractValue<typeof TABLE_MODEL_CARD>;

/**
 * Why a preparation does not describe a model's inputs (undefined when it does): the model must read
 * exactly the preparation's features, in its order, and predict its label, or a card would prepare
 * new rows for another model than the one beside it.
 */
export function preparationMismatch(
  preparation: ContractValue<typeof TABLE_PREPARATION>,
  model: { features: string[]; label: string },
): string | undefined {
  if (preparation.label !== model.label)
    return `expected the preparation of the label "${model.label}" the model predicts, got one of "${preparation.label}"`;
  const same =
    preparation.features.length === model.features.length &&
    preparation.features.every((name, i) => name === model.features[i]);
  if (!same)
    return `expected the preparation that made the model's ${model.features.length} features (${model.features.slice(0, 3).join(', ')}...), got one making ${preparation.features.length} (${preparation.features.slice(0, 3).join(', ')}...)`;
  return undefined;
}
