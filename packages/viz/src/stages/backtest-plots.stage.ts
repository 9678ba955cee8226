import { defineStage, port } from '@stagegraph/pipeline';
import { BACKTEST, FIGURE } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { backtestChartSpec, backtestRows, residualChartSpec, type BacktestForPlot } from '../backtest-charts.js';
import { renderVegaLite } from '../render-vega-lite.js';

export const backtestPlotStage = defineStage({
  type: 'viz.backtest-plot',
  version: 2,
  description: 'The actual series over a backtest with every model’s forecasts (learned solid, baselines dashed) and a rule at each refit.',
  params: z.strictObject({ title: z.string().optional().describe('the figure title (default: "<series>: backtest, every model")'), scale: figureScale }),
  inputs: { backtest: port(BACKTEST) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const backtest = inputs.backtest as BacktestForPlot & { name?: string };
    const spec = backtestChartSpec(backtest, p.title ?? `${backtest.name ?? 'series'}: backtest, every model`);
    return { figure: await renderVegaLite(spec, { scale: p.scale, table: { name: 'forecasts', rows: backtestRows(backtest) } }) };
  },
});

export const residualPlotStage = defineStage({
  type: 'viz.residual-plot',
  version: 2,
  description: 'Each model’s forecast errors (actual - forecast) over a backtest, one row per model.',
  params: z.strictObject({ title: z.string().default('Residuals (actual - forecast)').describe('the figure title'), scale: figureScale }),
  inputs: { backtest: port(BACKTEST) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    return { figure: await renderVegaLite(residualChartSpec(inputs.backtest as BacktestForPlot, p.title), { scale: p.scale }) };
  },
});
