import { DataError, isUserInputError } from './errors.js';

/** A user's error from inside a stage, prefixed with the stage it came from: `stages.split (preprocess.chrono-split): ...`. */
export function namingStage(error: unknown, node: { id: string; type: string }): unknown {
  if (!isUserInputError(error) || error.message.startsWith('stages.')) return error;
  return new DataError(
    error.message
      .split('\n')
      .map((line) => `stages.${node.id} (${node.type}): ${line}`)
      .join('\n'),
  );
}
