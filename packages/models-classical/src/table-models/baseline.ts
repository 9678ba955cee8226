/** The baselines every model must beat: the majority class with the training class frequencies, or the training mean. */
import type { TableFitData, TablePrediction } from './table-model.js';

/** A classification's class frequencies, or a regression's mean (one number). */
export interface BaselineTrained {
  values: number[];
}

export function fitBaseline(data: TableFitData): BaselineTrained {
  const { y, rows, classes } = data;
  if (classes === 0) return { values: [Float64Array.from(y).reduce((sum, v) => sum + v, 0) / rows] };
  const counts = new Array<number>(classes).fill(0);
  for (let r = 0; r < rows; r++) counts[y[r]]++;
  return { values: counts.map((count) => count / rows) };
}

export function predictBaseline(trained: BaselineTrained, rows: number, classes: number): TablePrediction {
  if (classes === 0) return { predicted: new Float64Array(rows).fill(trained.values[0]) };
  // the first most frequent class
  const majority = trained.values.indexOf(Math.max(...trained.values));
  const probabilities = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) probabilities.set(trained.values, r * classes);
  return { predicted: new Float64Array(rows).fill(majority), probabilities };
}
