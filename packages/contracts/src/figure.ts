import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';

/** Bytes: a Buffer or any Uint8Array (read structurally: a Buffer of another realm fails `instanceof`). */
const bytes = z.custom<Uint8Array>((value) => ArrayBuffer.isView(value));

/** A rendered chart: SVG for reports and browsers, PNG for everything else. */
export const FIGURE = defineContract({
  name: 'figure',
  kind: 'figure',
  schema: z.object({
    title: z.string(),
    svg: z.string(),
    png: bytes,
    /** The Vega-Lite spec it was drawn from, data inline: reports draw it again, interactive. */
    spec: z.record(z.string(), z.unknown()).optional(),
    /** The rows behind the chart, which reports offer as a CSV download; `name` says what they are ("predictions", "data"). */
    table: z
      .object({
        name: z.string(),
        rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
      })
      .optional(),
    /** Metrics of the input it was drawn from that it shows in full (the confusion matrix): a report need not print them again. */
    shows: z.array(z.string()).optional(),
  }),
  expected: 'a figure {title, svg, png}',
});
export type Figure = ContractValue<typeof FIGURE>;
export type FigureTable = NonNullable<Figure['table']>;
