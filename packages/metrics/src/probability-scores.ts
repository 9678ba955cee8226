import { checkPair } from './check-pair.js';

/**
 * Area under the ROC curve of `scores` for the rows where `positive` is true: the chance that a
 * random positive row scores above a random negative one, a tie counting half (the Mann-Whitney U
 * from midranks, so tied scores are handled exactly). NaN when either class is absent.
 */
export function rocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number {
  checkPair(Array.from(positive, Number), scores);
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const midrank = (start + 1 + end) / 2; // ranks start+1..end, 1-based, averaged over the tie
    for (let j = start; j < end; j++) {
      if (!positive[order[j]]) continue;
      positives++;
      positiveRankSum += midrank;
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Probabilities are clipped to [LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON]: one confident mistake costs ~34.5, not infinity. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Mean negative natural log of the probability each row gave its true class (`actual` holds class
 * codes indexing each row of `probabilities`), clipped so that a probability of 0 stays finite.
 */
export function logLoss(actual: ArrayLike<number>, probabilities: readonly ArrayLike<number>[]): number {
  checkPair(
    actual,
    Array.from(probabilities, () => 0),
  );
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const p = probabilities[i][actual[i]];
    sum -= Math.log(Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p)));
  }
  return sum / actual.length;
}
