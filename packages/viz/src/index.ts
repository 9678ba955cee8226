export { backtestChartSpec, backtestRows, residualChartSpec, type BacktestForPlot } from './backtest-charts.js';
export { confusionMatrixSpec, trainingCurvesSpec, type EpochMetrics } from './classification-charts.js';
export type { Figure, FigureTable } from './figure.js';
export { renderImageGrid, type GridImage, type ImageGridOptions } from './image-grid.js';
export { figureCodec } from './figure-codec.js';
export { forecastChartSpec, forecastRows, type ForecastChartData } from './forecast-chart.js';
export { renderVegaLite, vegaLiteToVega } from './render-vega-lite.js';
export { lossChartSpec, type EpochLosses } from './training-curves-chart.js';
export { importanceSpec, predictedVsActualSpec, rowsDrawn, tableFigureRows, tableFigureSpec } from './table-charts.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/viz/stages' has them alone.
export {
  backtestPlotStage,
  confusionMatrixStage,
  forecastPlotStage,
  lossPlotStage,
  misclassifiedStage,
  residualPlotStage,
  sampleImagesStage,
  stages,
  tableFiguresStage,
  trainingCurvesStage,
} from './stages.js';
export { figureBrowserScripts } from './browser-scripts.js';
