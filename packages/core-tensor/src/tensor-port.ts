import type { TensorLike } from '@stagegraph/contracts';
import { port, type Contract, type PortKind } from '@stagegraph/pipeline';
import type * as tf from './tf.js';

/**
 * A port carrying a tensor contract (WINDOWS, IMAGES...), read as a `tf.Tensor` by a stage that has
 * TensorFlow.js. The contract checks rank and dtype structurally (as `TensorLike`, so stages without
 * tfjs can read the same port); the values such a stage meets are tfjs tensors, made by tfjs code
 * or loaded by the tensor codec, so the narrower type is what they are.
 */
export function tensorPort<const Extra extends { optional?: boolean; description?: string }>(
  contract: Contract<TensorLike>,
  extra?: Extra,
): { kind: PortKind; contract: Contract<tf.Tensor> } & Extra {
  return port(contract as Contract<unknown> as Contract<tf.Tensor>, extra);
}
