import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { FIGURE, NUMBERS, SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';

export const forecastPlotStage = defineStage({
  type: 'viz.forecast-plot',
  version: 2,
  description: 'Plots actual values (blue) against predictions (red) over the test period, as SVG and PNG.',
  params: z.strictObject({
    title: z.string().optional().describe('the figure title (default: "<series>: actual vs predicted")'),
    valueLabel: z.string().optional().describe('the y axis label (default: the series name)'),
    scale: figureScale,
  }),
  inputs: { actual: port(SERIES), predicted: port(NUMBERS) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p, ctx) {
    const { actual, predicted } = inputs;
    if (predicted.length !== actual.values.length)
      throw new DataError(
        `${ctx.stageId}.inputs.predicted: expected ${actual.values.length} values, got ${predicted.length}`,
      );
    // Vega loads when a figure is drawn
    const [{ forecastChartSpec, forecastRows }, { renderVegaLite }] = await Promise.all([
      import('../forecast-chart.js'),
      import('../render-vega-lite.js'),
    ]);
    const data = {
      dates: actual.dates,
      actual: actual.values,
      predicted,
      title: p.title ?? `${actual.name}: actual vs predicted`,
      valueLabel: p.valueLabel ?? actual.name,
    };
    return {
      figure: await renderVegaLite(forecastChartSpec(data), {
        scale: p.scale,
        table: { name: 'predictions', rows: forecastRows(data) },
      }),
    };
  },
});
