import { drift, movingAverage, persistence, ridgeAutoregression, seasonalNaive } from './baselines.js';
import type { Forecaster } from './forecaster.js';
import { lstmForecaster } from './lstm-forecaster.js';
import type { RunnableModelSpec } from './model-specs.js';

/** The forecaster a spec describes (an lstm's features as names: adaptModels resolves "all" against a series). */
export function forecasterFor(spec: RunnableModelSpec): Forecaster {
  switch (spec.type) {
    case 'persistence':
      return persistence(spec.name);
    case 'drift':
      return drift(spec.name);
    case 'seasonal-naive':
      return seasonalNaive(spec.period, spec.name);
    case 'moving-average':
      return movingAverage(spec.window, spec.name);
    case 'ridge-ar':
      return ridgeAutoregression(spec, spec.name);
    case 'lstm':
      return lstmForecaster(spec.name ?? `lstm-${spec.target}`, spec);
  }
}
