import { defineStage, port } from '@stagegraph/pipeline';
import { BACKTEST, FIGURE } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { backtestChartSpec, backtestRows, residualChartSpec } from '../backtest-charts.js';

/** Vega loads when a figure is drawn, not when the stages are defined. */
const renderer = async () => (await import('../render-vega-lite.js')).renderVegaLite;

export const backtestPlotStage = defineStage({
  type: 'viz.backtest-plot',
  version: 2,
  description:
    'The actual series over a backtest with every model’s forecasts (learned solid, baselines dashed) and a rule at each refit.',
  params: z.strictObject({
    title: z.string().optional().describe('the figure title (default: "<series>: backtest, every model")'),
    scale: figureScale,
  }),
  inputs: { backtest: port(BACKTEST) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const { backtest } = inputs;
    const renderVegaLite = await renderer();
    const spec = backtestChartSpec(backtest, p.title ?? `${backtest.name ?? 'series'}: backtest, every model`);
    return {
      figure: await renderVegaLite(spec, {
        scale: p.scale,
        table: { name: 'forecasts', rows: backtestRows(backtest) },
      }),
    };
  },
});

export const residualPlotStage = defineStage({
  type: 'viz.residual-plot',
  version: 2,
  description: 'Each model’s forecast errors (actual - forecast) over a backtest, one row per model.',
  params: z.strictObject({
    title: z.string().default('Residuals (actual - forecast)').describe('the figure title'),
    scale: figureScale,
  }),
  inputs: { backtest: port(BACKTEST) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const renderVegaLite = await renderer();
    return { figure: await renderVegaLite(residualChartSpec(inputs.backtest, p.title), { scale: p.scale }) };
  },
});
