/**
 * Permutation importance (Breiman; scikit-learn's permutation_importance): how much a model's score
 * on labelled rows drops when one feature's values are shuffled across the rows, breaking its link
 * to the label. Features a preparation made from one source column (a category's one-hot columns
 * "color=red", "color=blue"; a date's parts "day.year", "day.month"; an is-missing flag "x missing")
 * are shuffled together, by the same row permutation, and reported under the source column's name.
 */
import { SeededRandom } from '@stagegraph/pipeline';

export interface FeatureGroup {
  name: string;
  columns: number[];
}

const DATE_PART = /\.(year|month|dayOfWeek)$/;

/** The source column a prepared feature came from, by the preparation's naming. */
export function featureSource(feature: string): string {
  const equals = feature.indexOf('=');
  if (equals > 0) return feature.slice(0, equals);
  if (feature.endsWith(' missing')) return feature.slice(0, -' missing'.length);
  return feature.replace(DATE_PART, '');
}

/** Features grouped by source column (first-appearance order); a group of one keeps its feature's own name. */
export function featureGroups(features: string[]): FeatureGroup[] {
  const groups = new Map<string, number[]>();
  features.forEach((feature, j) => {
    const source = featureSource(feature);
    groups.set(source, [...(groups.get(source) ?? []), j]);
  });
  return [...groups].map(([name, columns]) => ({ name: columns.length === 1 ? features[columns[0]] : name, columns }));
}

export interface ImportanceInput {
  /** rows x cols, row-major: the rows to score on (left as given). */
  x: Float64Array;
  rows: number;
  cols: number;
  actual: ArrayLike<number>;
  /** The model's predictions (class codes or values) for rows x cols. */
  predict: (x: Float64Array, rows: number) => ArrayLike<number>;
  /** Larger is better (accuracy, R^2). */
  score: (predicted: ArrayLike<number>, actual: ArrayLike<number>) => number;
  groups: FeatureGroup[];
  /** Shuffles per group, averaged (default 3). */
  repeats?: number;
  seed: number;
}

/** Each group's mean score drop over `repeats` seeded shuffles, largest first. */
export function permutationImportance(input: ImportanceInput): { feature: string; drop: number }[] {
  const { x, rows, cols, actual, predict, score, groups } = input;
  const repeats = input.repeats ?? 3;
  const base = score(predict(x, rows), actual);
  const random = new SeededRandom(input.seed);
  const shuffled = Float64Array.from(x);
  const drops = groups.map((group) => {
    let drop = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      const order = random.permutation(rows);
      for (let r = 0; r < rows; r++) for (const j of group.columns) shuffled[r * cols + j] = x[order[r] * cols + j];
      drop += base - score(predict(shuffled, rows), actual);
    }
    // put the group's own values back before the next group is shuffled
    for (let r = 0; r < rows; r++) for (const j of group.columns) shuffled[r * cols + j] = x[r * cols + j];
    return { feature: group.name, drop: drop / repeats };
  });
  return drops.sort((a, b) => b.drop - a.drop);
}
