import { backtestPlotStage, residualPlotStage } from './stages/backtest-plots.stage.js';
import { confusionMatrixStage, misclassifiedStage, sampleImagesStage, trainingCurvesStage } from './stages/classification-plots.stage.js';
import { forecastPlotStage } from './stages/forecast-plot.stage.js';
import { lossPlotStage } from './stages/loss-plot.stage.js';

export { backtestChartSpec, backtestRows, residualChartSpec, type BacktestForPlot } from './backtest-charts.js';
export { confusionMatrixSpec, trainingCurvesSpec, type EpochMetrics } from './classification-charts.js';
export type { Figure, FigureTable } from './figure.js';
export { renderImageGrid, type GridImage } from './image-grid.js';
export { figureCodec } from './figure-codec.js';
export { forecastChartSpec, forecastRows, type ForecastChartData } from './forecast-chart.js';
export { renderVegaLite, vegaLiteToVega } from './render-vega-lite.js';
export { lossChartSpec, type EpochLosses } from './training-curves-chart.js';
export { backtestPlotStage, confusionMatrixStage, forecastPlotStage, lossPlotStage, misclassifiedStage, sampleImagesStage, residualPlotStage, trainingCurvesStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [forecastPlotStage, backtestPlotStage, residualPlotStage, lossPlotStage, trainingCurvesStage, confusionMatrixStage, sampleImagesStage, misclassifiedStage];
export { figureBrowserScripts } from './browser-scripts.js';
