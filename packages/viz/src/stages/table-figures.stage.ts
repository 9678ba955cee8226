import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { FIGURE, TABLE_PREDICTIONS, type TablePredictions } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { rowsDrawn, tableFigureRows, tableFigureSpec } from '../table-charts.js';

/** Vega loads when a figure is drawn, not when the stages are defined. */
const renderer = async () => (await import('../render-vega-lite.js')).renderVegaLite;

export const tableFiguresStage = defineStage({
  type: 'viz.table-figures',
  version: 1,
  description:
    "A table model's figure: predicted against actual values with the line y = x (regression) or the confusion matrix labelled with the class names (classification), and beside it the permutation importance when the predictions carry it.",
  params: z.strictObject({
    title: z
      .string()
      .optional()
      .describe('the figure title (default: "<model>: predicted vs actual <label>" or "<model>: confusion matrix")'),
    points: z
      .number()
      .int()
      .min(10)
      .max(100000)
      .default(5000)
      .describe('rows drawn in the scatter and its CSV at most: every k-th row of a larger test split'),
    features: z.number().int().min(1).max(200).default(20).describe('features in the importance chart at most'),
    scale: figureScale,
  }),
  inputs: { predictions: port(TABLE_PREDICTIONS, { description: "a table model's predictions on labelled rows" }) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const predictions = inputs.predictions;
    checkDrawable(predictions, `${ctx.stageId}.inputs.predictions`);
    const n = predictions.actual.length;
    const rows = rowsDrawn(n, p.points);
    const thinned = rows.length < n ? ` (${rows.length} of ${n} rows drawn)` : '';
    const title =
      p.title ??
      (predictions.task === 'regression'
        ? `${predictions.model}: predicted vs actual ${predictions.label}${thinned}`
        : `${predictions.model}: confusion matrix of ${predictions.label}`);
    const spec = tableFigureSpec(predictions, { title, rows, features: p.features });
    const renderVegaLite = await renderer();
    return {
      figure: await renderVegaLite(spec, {
        scale: p.scale,
        table: { name: 'predictions', rows: tableFigureRows(predictions, rows) },
      }),
    };
  },
});

/** Codes that index the classes, finite values: what a figure can be drawn of. */
function checkDrawable(p: TablePredictions, where: string): void {
  if (p.actual.length === 0) throw new DataError(`${where}.actual: expected at least one row, got none`);
  const classCount = p.classes?.length ?? 0;
  const bad = (v: number) =>
    p.task === 'regression' ? !Number.isFinite(v) : !Number.isInteger(v) || v < 0 || v >= classCount;
  for (const field of ['actual', 'predicted'] as const) {
    const at = p[field].findIndex(bad);
    if (at >= 0)
      throw new DataError(
        `${where}.${field}[${at}]: expected ${p.task === 'regression' ? 'a finite number' : `a class code from 0 to ${classCount - 1}`}, got ${p[field][at]}`,
      );
  }
}
