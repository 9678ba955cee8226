import { types } from 'node:util';
import { CancelledError, DataError, isUserInputError, StageFault } from './errors.js';
import { shapeOf } from './value-shape.js';

/**
 * An error from inside a stage, named: a user's error prefixed with the stage it came from
 * (`stages.split (preprocess.chrono-split): ...`); anything thrown that is not an Error with a
 * message (null, a string, a plain object) a StageFault saying which stage threw what.
 */
export function namingStage(error: unknown, node: { id: string; type: string }): unknown {
  const isError = error instanceof Error || types.isNativeError(error);
  if (!isError || !error.message)
    return new StageFault(`stage ${node.id} (${node.type}) failed: ${whatWasThrown(error)}`);
  if (!isUserInputError(error) || error.message.startsWith('stages.')) return error;
  return new DataError(
    error.message
      .split('\n')
      .map((line) => `stages.${node.id} (${node.type}): ${line}`)
      .join('\n'),
  );
}

/**
 * A stage's own failure, named: an Error from its code (a plugin's, a library's TypeError) gets
 * `stage <id> (<type>) failed: ` before its message, so the one error line says which stage; a
 * user's error, a cancel and what namingStage already names are left as they are.
 */
export function namingFailure(error: unknown, node: { id: string; type: string }): unknown {
  const named = namingStage(error, node);
  if (
    !(named instanceof Error) ||
    named instanceof CancelledError ||
    named instanceof StageFault ||
    isUserInputError(named) ||
    /^stages? /.test(named.message)
  )
    return named;
  named.message = `stage ${node.id} (${node.type}) failed: ${named.message}`;
  return named;
}

/** `it threw null, not an Error`: what a stage threw instead of an Error with a message. */
function whatWasThrown(thrown: unknown): string {
  if (thrown instanceof Error || types.isNativeError(thrown))
    return `it threw ${/^[AEIOU]/.test(thrown.name) ? 'an' : 'a'} ${thrown.name} without a message`;
  if (typeof thrown === 'string')
    return thrown ? `${thrown} (it threw a string, not an Error)` : 'it threw an empty string, not an Error';
  const message = (thrown as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message) return `${message} (it threw an object, not an Error)`;
  if (typeof thrown === 'function') return 'it threw a function, not an Error';
  return `it threw ${typeof thrown === 'object' && thrown !== null ? shapeOf(thrown) : String(thrown)}, not an Error`;
}
