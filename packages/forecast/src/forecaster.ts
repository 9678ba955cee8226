import type { SeriesRows } from '@stagegraph/contracts';

/** A stretch of a series: the values, their dates and any feature columns of the same rows. */
export type SeriesSlice = SeriesRows;

/** The past a forecaster may learn from: one fold's training period, nothing after it. */
export type TrainingData = SeriesSlice;

export interface FitContext {
  /** Seeds everything random in fitting (initial weights, shuffling). */
  seed: number;
  signal?: AbortSignal;
}

/** A fitted model: forecasts the `horizon` values after `history` (the series up to a forecast origin). */
export interface FittedForecaster {
  forecast(history: SeriesSlice, horizon: number): number[];
  /** Frees what fitting allocated (tensors, say). */
  dispose?(): void;
}

/**
 * A forecasting method, fitted afresh on each backtest fold's past (darts' `fit`/`predict`, sktime's
 * forecasters). `baseline` methods are the simple references a `learned` one must beat.
 */
export interface Forecaster {
  readonly name: string;
  readonly kind: 'baseline' | 'learned';
  fit(train: TrainingData, context: FitContext): Promise<FittedForecaster>;
}
