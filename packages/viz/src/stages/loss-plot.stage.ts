import { defineStage, port } from '@stagegraph/pipeline';
import { FIGURE, TRAINING_HISTORY } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { lossChartSpec } from '../training-curves-chart.js';

export const lossPlotStage = defineStage({
  type: 'viz.loss-plot',
  version: 2,
  description: 'Plots training and validation loss per epoch from a training history.',
  params: z.strictObject({
    title: z.string().optional().describe('the figure title'),
    scale: figureScale,
  }),
  inputs: { history: port(TRAINING_HISTORY) },
  outputs: { figure: port(FIGURE) },
  async run(inputs, p) {
    const { renderVegaLite } = await import('../render-vega-lite.js'); // Vega loads when a figure is drawn
    return { figure: await renderVegaLite(lossChartSpec(inputs.history.epochs, p.title), { scale: p.scale }) };
  },
});
