import { DataError, defineStage, port } from '@stagegraph/pipeline';
import {
  FIGURE,
  MODEL_SELECTION,
  TABLE_PREDICTIONS,
  type ModelSelection,
  type TablePredictions,
} from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { rowsDrawn, tableFigureRows, tableFigureSpec } from '../table-charts.js';

/** Vega loads when a figure is drawn, not when the stages are defined. */
const renderer = async () => (await import('../render-vega-lite.js')).renderVegaLite;

export const tableFiguresStage = defineStage({
  type: 'viz.table-figures',
  version: 1,
  description:
    "A table model's figure: predicted against actual values with the line y = x (regression) or the confusion matrix labelled with the class names (classification), and beside it the permutation importance when the predictions carry it. Given several candidates' predictions (named as the selection names them) and the selection, it draws the best's.",
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
  inputs: {
    selection: port(MODEL_SELECTION, {
      optional: true,
      description: 'the ranking of the candidates whose predictions are wired: the best is drawn',
    }),
  },
  namedInputs: {
    ...port(TABLE_PREDICTIONS),
    min: 1,
    description: "a table model's predictions on labelled rows, under the candidate's name (one alone: `predictions`)",
  },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const { selection, ...candidates } = inputs;
    const [name, predictions] = chosen(candidates, selection, ctx.stageId);
    checkDrawable(predictions, `${ctx.stageId}.inputs.${name}`);
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

/** The one candidate wired, or the selection's best among several. */
function chosen(
  candidates: Record<string, TablePredictions>,
  selection: ModelSelection | undefined,
  stageId: string,
): [string, TablePredictions] {
  const names = Object.keys(candidates);
  if (selection) {
    const best = candidates[selection.best];
    if (!best)
      throw new DataError(
        `${stageId}.inputs: expected the predictions of the selection's best, "${selection.best}", got ${names.map((n) => `"${n}"`).join(', ')}`,
      );
    return [selection.best, best];
  }
  if (names.length > 1)
    throw new DataError(
      `${stageId}.inputs.selection: expected a model selection to choose among ${names.join(', ')}, got none`,
    );
  return [names[0], candidates[names[0]]];
}

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
