import {
  CancelledError,
  escapeControlCharacters,
  isUserInputError,
  StageFault,
  UserInputError,
} from '@stagegraph/pipeline';

/** Bad command-line arguments (unknown option, invalid choice). */
export class UsageError extends UserInputError {}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_CANCELLED = 130;

/** Prints an error the way the CLI promises: one line (a line per config issue), a stack only with --verbose. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is full',
  EROFS: 'the file system is read-only',
  EACCES: 'no permission',
  EPERM: 'no permission',
};

export function reportError(
  error: unknown,
  verbose: boolean,
  write: (text: string) => void = (t) => process.stderr.write(t),
): number {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (code && WRITE_FAILURES[code]) {
    // the environment, not a bug: say which file and why, in one line
    write(`error: ${path ?? 'a file'}: cannot write: ${WRITE_FAILURES[code]} (${code}); nothing was half-written\n`);
    if (verbose && error instanceof Error) write(`${error.stack}\n`);
    return EXIT_BAD_INPUT;
  }
  // messages quote files, columns and cells: a data file must not drive the terminal
  const message = escapeControlCharacters(error instanceof Error ? error.message : String(error));
  if (error instanceof CancelledError) {
    write(`stagegraph: ${message}\n`);
    return EXIT_CANCELLED;
  }
  const userError = isUserInputError(error);
  for (const line of message.split('\n')) write(`error: ${line}\n`);
  if (verbose && error instanceof Error && error.stack) {
    write(`${error.stack}\n`);
    // a wrapped error (a backend that did not load) keeps the original: its stack says where it broke
    if (error.cause instanceof Error) write(`caused by: ${error.cause.stack ?? error.cause.message}\n`);
  } else if (!userError && !(error instanceof StageFault)) write('(run again with --verbose for the stack trace)\n'); // a StageFault's stack is the engine's
  return userError ? EXIT_BAD_INPUT : EXIT_FAILURE;
}
