import { forecastPlotStage } from './stages/forecast-plot.stage.js';
import { lossPlotStage } from './stages/loss-plot.stage.js';

export type { Figure } from './figure.js';
export { figureCodec } from './figure-codec.js';
export { forecastChartSpec, type ForecastChartData } from './forecast-chart.js';
export { renderVegaLite } from './render-vega-lite.js';
export { lossChartSpec, type EpochLosses } from './training-curves-chart.js';
export { forecastPlotStage, lossPlotStage };

/** Every stage this package defines, for a StageRegistry. */
export const vizStages = [forecastPlotStage, lossPlotStage];
