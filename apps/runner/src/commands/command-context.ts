import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Output } from '../output.js';

/** What a command module's handler is given besides its arguments: where to print, and its exit code to set. */
export interface CommandContext {
  readonly output: Output;
  /** 0 unless the command sets it: 2 bad input, 1 anything else, 130 cancelled. */
  exitCode: number;
}

/**
 * Each `*.command.ts` makes a yargs command module for one CLI call. Its file declares the command's
 * options beside its handler and imports only yargs' types and cli-options.ts; the handler loads
 * what the command does (`*.action.ts`) by dynamic import, so `stagegraph --help` loads no
 * command's libraries.
 */
export type CommandOf<B extends Builder> = (context: CommandContext) => CommandModule<object, OptionsOf<B>>;

type Builder = (y: Argv) => Argv<unknown>;
/** The options a builder declares. */
type OptionsOf<B extends Builder> = ReturnType<B> extends Argv<infer T> ? T : never;
/** The arguments a builder declares, as its handler receives them. */
export type ArgsOf<B extends Builder> = ArgumentsCamelCase<OptionsOf<B>>;
