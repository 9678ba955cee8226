import { DataError } from '@stagegraph/pipeline';
import type { Series } from './series.js';

/** The first `trainFraction` of a dated series for training, the rest for testing: no shuffling. */
export function chronologicalSplit(series: Series, trainFraction: number): { train: Series; test: Series } {
  const cut = Math.floor(series.values.length * trainFraction);
  if (cut < 1 || cut >= series.values.length) {
    throw new DataError(`${series.name}: expected a split that leaves rows on both sides, got ${cut} of ${series.values.length} rows for training`);
  }
  const part = (from: number, to?: number): Series => ({
    name: series.name,
    dates: series.dates.slice(from, to),
    values: series.values.slice(from, to),
    ...(series.features ? { features: Object.fromEntries(Object.entries(series.features).map(([name, column]) => [name, column.slice(from, to)])) } : {}),
  });
  return { train: part(0, cut), test: part(cut) };
}
