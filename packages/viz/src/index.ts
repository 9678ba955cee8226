import { confusionMatrixStage, misclassifiedStage, sampleImagesStage, trainingCurvesStage } from './stages/classification-plots.stage.js';
import { forecastPlotStage } from './stages/forecast-plot.stage.js';
import { lossPlotStage } from './stages/loss-plot.stage.js';

export { confusionMatrixSpec, trainingCurvesSpec, type EpochMetrics } from './classification-charts.js';
export type { Figure } from './figure.js';
export { renderImageGrid, type GridImage } from './image-grid.js';
export { figureCodec } from './figure-codec.js';
export { forecastChartSpec, type ForecastChartData } from './forecast-chart.js';
export { renderVegaLite } from './render-vega-lite.js';
export { lossChartSpec, type EpochLosses } from './training-curves-chart.js';
export { confusionMatrixStage, forecastPlotStage, lossPlotStage, misclassifiedStage, sampleImagesStage, trainingCurvesStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [forecastPlotStage, lossPlotStage, trainingCurvesStage, confusionMatrixStage, sampleImagesStage, misclassifiedStage];
