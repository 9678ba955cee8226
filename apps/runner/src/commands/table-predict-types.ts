import type { PreparedColumns } from '@stagegraph/tables';

/**
 * New rows prepared column by column in float64, as the stages' prepared tables hold them: a classical
 * model reads exactly the numbers it trained on (a tree's threshold meets no float32 rounding).
 */
export interface PreparedFeatures extends PreparedColumns {
  rows: number;
  /** One column per feature, in the preparation's order. */
  columns: Float64Array[];
}

export interface NetworkOptions {
  backend?: string;
  threads?: number;
  /** A notice about the threads asked for, to show once. */
  notice(text: string): void;
  /** The process already runs on its backend (serve chose it at start): none is selected again. */
  backendChosen?: boolean;
}
