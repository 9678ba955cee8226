/**
 * Typed errors. A `UserInputError` is the user's to fix (bad config, bad data): the CLI prints its
 * one-line message without a stack trace and exits 2. Anything else is a bug or an environment fault.
 */
export class UserInputError extends Error {
  readonly exitCode = 2;
}

/** A pipeline config that cannot run: each entry of `issues` is one line with its JSON path. */
export class ConfigError extends UserInputError {
  constructor(
    readonly issues: string[],
    readonly file?: string,
  ) {
    super(issues.map((issue) => (file ? `${file}: ${issue}` : issue)).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Input data that cannot be used: the message names the file or field, what was expected and what came. */
export class DataError extends UserInputError {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/**
 * A stage that broke the rules of `run` (threw something that is not an Error, completed without
 * outputs, never finished): the one-line message names the stage and says what it did. A stack
 * would show the engine, not the stage, so the CLI prints none.
 */
export class StageFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageFault';
  }
}

/** The run was cancelled (Ctrl-C, SIGTERM, or the subscriber went away). */
export class CancelledError extends Error {
  constructor(readonly where: string) {
    super(`cancelled during ${where}`);
    this.name = 'CancelledError';
  }
}

export function isUserInputError(error: unknown): error is UserInputError {
  return error instanceof UserInputError;
}

/** Throws a CancelledError when the signal has fired: stages call it between units of work. */
export function throwIfCancelled(signal: AbortSignal, where: string): void {
  if (signal.aborted) throw new CancelledError(where);
}
