import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Where a live display draws: something to write to, and the terminal's size when known. */
export interface TerminalStream {
  write(text: string): unknown;
  columns?: number;
  rows?: number;
}

const set = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value !== 'false';

/**
 * How to show progress on an output. Live (a block redrawn in place) only on a terminal, and not
 * under CI (CI=true gives a plain line per event even on a pseudo-terminal) or TERM=dumb. Colour
 * likewise, unless NO_COLOR is set (no-color.org); FORCE_COLOR=1 colours anything.
 */
export function terminalStyle(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): { live: boolean; colors: Colors } {
  const terminal = isTTY && !set(env.CI) && env.TERM !== 'dumb';
  return { live: terminal, colors: picocolors.createColors(!set(env.NO_COLOR) && (set(env.FORCE_COLOR) || terminal)) };
}
