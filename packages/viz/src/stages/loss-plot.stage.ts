import { defineStage, port } from '@stagegraph/pipeline';
import { FIGURE, TRAINING_HISTORY } from '@stagegraph/contracts';
import { z } from 'zod';
import { figureScale } from './figure-params.js';
import { lossChartSpec, type EpochLosses } from '../training-curves-chart.js';
import { renderVegaLite } from '../render-vega-lite.js';

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
    const history = inputs.history as { epochs: EpochLosses[] };
    return { figure: await renderVegaLite(lossChartSpec(history.epochs, p.title), { scale: p.scale }) };
  },
});
