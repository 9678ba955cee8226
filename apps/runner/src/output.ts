import type { TerminalStream } from './render/terminal.js';

/** Where commands write: injectable so tests can run the CLI in-process and read what it printed. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** The terminal's size, where out is one. */
  size?(): { columns?: number; rows?: number };
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  size: () => ({ columns: process.stdout.columns, rows: process.stdout.rows }),
};

/**
 * out as a stream for a live display, its size read at each redraw (the terminal may be resized);
 * a size of 0 (a pseudo-terminal nobody sized) counts as unknown, so the display takes 80x24.
 */
export const terminalOf = (output: Output): TerminalStream => ({
  write: output.out,
  get columns() {
    return output.size?.().columns || undefined;
  },
  get rows() {
    return output.size?.().rows || undefined;
  },
});
