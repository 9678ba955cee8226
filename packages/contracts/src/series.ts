import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber, numberList } from './numbers.js';

/** A dated series of numbers in ascending date order: what the CSV loader produces and splits keep. */
export const SERIES = defineContract({
  name: 'series',
  kind: 'json',
  schema: z
    .object({
      name: z.string(),
      dates: z.array(z.string()),
      values: numberList,
      /** Other columns of the same rows (volume, high, low...), one number per date, for models that read more than the target. */
      features: z.record(z.string(), numberList).optional(),
    })
    .refine((s) => s.dates.length === s.values.length)
    .superRefine((s, ctx) => {
      const bad = Object.entries(s.features ?? {}).find(([, column]) => column.length !== s.values.length);
      if (bad)
        ctx.addIssue({
          code: 'custom',
          message: `expected feature "${bad[0]}" to hold one number per date (${s.values.length}), got ${bad[1].length}`,
        });
    }),
  expected: 'a series {name, dates, values} with one date per value',
});
export type Series = ContractValue<typeof SERIES>;

/** The rows of a series (or any values-dates-features slice of one), as slicing reads them. */
export interface SeriesRows {
  readonly values: readonly number[];
  readonly dates: readonly string[];
  readonly features?: Readonly<Record<string, readonly number[]>>;
}

/** Rows [from, to) of a series, its feature columns sliced with the values: every split and fold takes rows this way. */
export function sliceSeries<S extends SeriesRows>(series: S, from: number, to?: number): S {
  const features =
    series.features &&
    Object.fromEntries(Object.entries(series.features).map(([name, column]) => [name, column.slice(from, to)]));
  return {
    ...series,
    values: series.values.slice(from, to),
    dates: series.dates.slice(from, to),
    ...(features ? { features } : {}),
  };
}

export const NUMBERS = defineContract({
  name: 'list of numbers',
  kind: 'json',
  schema: numberList,
  expected: 'an array of numbers',
});

/** The minimum and maximum a MinMax scaler was fitted on. */
export const SCALER = defineContract({
  name: 'scaler',
  kind: 'json',
  schema: z.object({ min: aNumber, max: aNumber }),
  expected: 'a scaler {min, max}',
});
export type ScalerState = ContractValue<typeof SCALER>;
