/**
 * What a learned forecaster predicts instead of the raw level. A model on min-max scaled levels
 * cannot forecast above its training maximum, and prices leave it; changes and returns stay in range.
 * `window-normalised` divides each input window by its last value (its target is the next value's
 * ratio to that, less one): every window looks alike whatever the price level.
 */
export const TARGETS = ['level', 'difference', 'log-return', 'percent-change', 'window-normalised'] as const;
export type Target = (typeof TARGETS)[number];

/** The series a model learns from: one value per level (`level`), else one per step between levels. */
export function toTargetSeries(levels: readonly number[], target: Target): number[] {
  if (target === 'level') return [...levels];
  const out: number[] = [];
  for (let i = 1; i < levels.length; i++) out.push(step(levels[i - 1], levels[i], target));
  return out;
}

/** The target of going from `from` to `to`. */
export function step(from: number, to: number, target: Target): number {
  switch (target) {
    case 'level':
      return to;
    case 'difference':
      return to - from;
    case 'log-return':
      return Math.log(to / from);
    case 'percent-change':
    case 'window-normalised':
      return to / from - 1;
  }
}

/** The inverse of `step`: the next level from the last one and a predicted target. */
export function nextLevel(last: number, value: number, target: Target): number {
  switch (target) {
    case 'level':
      return value;
    case 'difference':
      return last + value;
    case 'log-return':
      return last * Math.exp(value);
    case 'percent-change':
    case 'window-normalised':
      return last * (1 + value);
  }
}

/** Targets whose ratios need positive levels. */
export const needsPositiveLevels = (target: Target) =>
  target === 'log-return' || target === 'percent-change' || target === 'window-normalised';
