import { defineContract } from './contract.js';
import { shapeOf } from './value-shape.js';

/** A dated series of numbers in ascending date order: what the CSV loader produces and splits keep. */
export interface Series {
  name: string;
  dates: string[];
  values: number[];
  /** Other columns of the same rows (volume, high, low...), one number per date, for models that read more than the target. */
  features?: Record<string, number[]>;
}

/** The rows of a series (or any values-dates-features slice of one), as slicing reads them. */
export interface SeriesRows {
  readonly values: readonly number[];
  readonly dates: readonly string[];
  readonly features?: Readonly<Record<string, readonly number[]>>;
}

/** Rows [from, to) of a series, its feature columns sliced with the values: every split and fold takes rows this way. */
export function sliceSeries<S extends SeriesRows>(series: S, from: number, to?: number): S {
  const features = series.features && Object.fromEntries(Object.entries(series.features).map(([name, column]) => [name, column.slice(from, to)]));
  return { ...series, values: series.values.slice(from, to), dates: series.dates.slice(from, to), ...(features ? { features } : {}) };
}

/** The minimum and maximum a MinMax scaler was fitted on. */
export interface ScalerState {
  min: number;
  max: number;
}

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => typeof v === 'number');

// Plain data, not ML: the engine may define them, and every package can import them without tensors.
export const SERIES = defineContract({
  name: 'series',
  kind: 'json',
  check: (value) => {
    const s = value as Partial<Series> | null;
    const ok = typeof s?.name === 'string' && Array.isArray(s.dates) && isNumbers(s.values) && s.dates.length === s.values.length;
    if (!ok) return `expected a series {name, dates, values} with one date per value, got ${shapeOf(value)}`;
    const bad = Object.entries(s.features ?? {}).find(([, column]) => !isNumbers(column) || column.length !== s.values!.length);
    return bad ? `expected feature "${bad[0]}" to hold one number per date (${s.values!.length}), got ${shapeOf(bad[1])}` : undefined;
  },
});

export const NUMBERS = defineContract({
  name: 'list of numbers',
  kind: 'json',
  check: (value) => (isNumbers(value) ? undefined : `expected an array of numbers, got ${shapeOf(value)}`),
});

export const SCALER = defineContract({
  name: 'scaler',
  kind: 'json',
  check: (value) => {
    const s = value as Partial<ScalerState> | null;
    return typeof s?.min === 'number' && typeof s.max === 'number' ? undefined : `expected a scaler {min, max}, got ${shapeOf(value)}`;
  },
});
