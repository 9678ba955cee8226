/** A rendered chart: SVG for reports and browsers, PNG for everything else. */
export interface Figure {
  title: string;
  svg: string;
  png: Uint8Array;
  /** The Vega-Lite spec it was drawn from, data inline: reports draw it again, interactive. */
  spec?: Record<string, unknown>;
  /** The rows behind the chart, which reports offer as a CSV download. */
  table?: FigureTable;
  /** Metrics of the input it was drawn from that it shows in full (the confusion matrix): a report need not print them again. */
  shows?: string[];
}

/** A figure's data as rows; `name` says what they are ("predictions", "data"). */
export interface FigureTable {
  name: string;
  rows: Record<string, string | number | boolean | null>[];
}
