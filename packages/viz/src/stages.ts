// '@stagegraph/viz/stages': the stage definitions and the figure codec, which a run registers;
// importing it loads neither Vega nor sharp (a stage loads them when it draws its figure).
import { backtestPlotStage, residualPlotStage } from './stages/backtest-plots.stage.js';
import {
  confusionMatrixStage,
  misclassifiedStage,
  sampleImagesStage,
  trainingCurvesStage,
} from './stages/classification-plots.stage.js';
import { forecastPlotStage } from './stages/forecast-plot.stage.js';
import { lossPlotStage } from './stages/loss-plot.stage.js';
import { tableFiguresStage } from './stages/table-figures.stage.js';

export { figureCodec } from './figure-codec.js';
export {
  backtestPlotStage,
  confusionMatrixStage,
  forecastPlotStage,
  lossPlotStage,
  misclassifiedStage,
  sampleImagesStage,
  residualPlotStage,
  tableFiguresStage,
  trainingCurvesStage,
};

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [
  forecastPlotStage,
  backtestPlotStage,
  residualPlotStage,
  lossPlotStage,
  trainingCurvesStage,
  confusionMatrixStage,
  sampleImagesStage,
  misclassifiedStage,
  tableFiguresStage,
];
