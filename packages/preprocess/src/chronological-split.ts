import { DataError } from '@stagegraph/pipeline';
import { sliceSeries } from '@stagegraph/contracts';
import type { Series } from './series.js';

/** The first `trainFraction` of a dated series for training, the rest for testing: no shuffling. */
export function chronologicalSplit(series: Series, trainFraction: number): { train: Series; test: Series } {
  const cut = Math.floor(series.values.length * trainFraction);
  if (cut < 1 || cut >= series.values.length) {
    throw new DataError(
      `${series.name}: expected a split that leaves rows on both sides, got ${cut} of ${series.values.length} rows for training`,
    );
  }
  return { train: sliceSeries(series, 0, cut), test: sliceSeries(series, cut) };
}
