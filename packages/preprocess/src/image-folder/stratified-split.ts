import { SeededRandom } from '@stagegraph/pipeline';

/** Row indices of each part of a split. */
export interface SplitRows {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * A seeded split that keeps each class's share in every part: each class's rows are shuffled, then
 * round(n x testFraction) go to test and round(n x validationFraction) to validation (at least one
 * each when the fraction is not 0, so a small folder still validates every class), and the rest to
 * train, which keeps at least one row of each class. Each part is then shuffled, so no part is ordered by class.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  classCount: number,
  { validationFraction, testFraction, seed }: { validationFraction: number; testFraction: number; seed: number },
): SplitRows {
  const random = new SeededRandom(seed);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const rows: SplitRows = { train: [], validation: [], test: [] };
  for (const members of byClass) {
    const order = Array.from(random.permutation(members.length), (k) => members[k]);
    const test = share(order.length, testFraction, order.length - 1);
    const validation = share(order.length, validationFraction, order.length - test - 1);
    rows.test.push(...order.slice(0, test));
    rows.validation.push(...order.slice(test, test + validation));
    rows.train.push(...order.slice(test + validation));
  }
  const shuffled = (part: number[]) => Array.from(random.permutation(part.length), (k) => part[k]);
  return { train: shuffled(rows.train), validation: shuffled(rows.validation), test: shuffled(rows.test) };
}

/** round(n x fraction), at least 1 when the fraction is not 0, at most `most`. */
function share(n: number, fraction: number, most: number): number {
  const wanted = fraction > 0 ? Math.max(1, Math.round(n * fraction)) : 0;
  return Math.max(0, Math.min(wanted, most));
}
