import { DATE_PARTS, type PreparationStep, type TableColumn } from '@stagegraph/contracts';
import { dateParts } from './date-parts.js';

type Step<T extends PreparationStep['type']> = Extract<PreparationStep, { type: T }>;
type Column<T extends TableColumn['type']> = Extract<TableColumn, { type: T }>;

/** Mean and population standard deviation (as scikit-learn's StandardScaler); a constant gets std 1. */
export function meanStd(values: Float64Array): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  return { mean, std: std > 0 ? std : 1 };
}

/** The median of values (sorts them in place); 0 for none. */
function medianOf(values: Float64Array): number {
  if (values.length === 0) return 0;
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** The finite values a Float64Array column holds in `rows` (NaN and the infinities are missing). */
function presentValues(values: Float64Array, rows: Int32Array): Float64Array {
  let n = 0;
  for (const row of rows) if (Number.isFinite(values[row])) n++;
  const present = new Float64Array(n);
  n = 0;
  for (const row of rows) if (Number.isFinite(values[row])) present[n++] = values[row];
  return present;
}

export function fitNumber(column: Column<'number'>, rows: Int32Array): Step<'number'> {
  const present = presentValues(column.values, rows);
  const { mean, std } = meanStd(present);
  const median = medianOf(present);
  return { type: 'number', column: column.name, median, mean, std, indicator: present.length < rows.length };
}

/** The categories the training rows hold, in the table's order; 'other' kept by name where they hold it. */
export function fitCategory(column: Column<'category'>, rows: Int32Array): Step<'category'> {
  const counts = new Int32Array(column.categories.length);
  let missing = 0;
  for (const row of rows) {
    const code = column.codes[row];
    if (code >= 0) counts[code]++;
    else missing++;
  }
  const categories = column.categories.filter((_, code) => counts[code] > 0);
  const other =
    column.otherCode !== undefined && counts[column.otherCode] > 0 ? column.categories[column.otherCode] : undefined;
  return {
    type: 'category',
    column: column.name,
    categories,
    ...(other === undefined ? {} : { other }),
    indicator: missing > 0,
  };
}

export function fitBoolean(column: Column<'boolean'>, rows: Int32Array): Step<'boolean'> {
  let trues = 0;
  let present = 0;
  for (const row of rows) {
    const v = column.values[row];
    if (v === 255) continue;
    present++;
    trues += v;
  }
  return {
    type: 'boolean',
    column: column.name,
    fill: present ? trues / present : 0,
    indicator: present < rows.length,
  };
}

/** Each date part's mean and std over the training dates; a part with one value in every row is left out. */
export function fitDate(column: Column<'date'>, rows: Int32Array): Step<'date'> {
  const present = presentValues(column.values, rows);
  const byPart = DATE_PARTS.map(() => new Float64Array(present.length));
  const parts = new Float64Array(3);
  present.forEach((ms, i) => {
    dateParts(ms, parts);
    byPart.forEach((values, j) => (values[i] = parts[j]));
  });
  const kept = DATE_PARTS.map((part, j) => ({ part, ...meanStd(byPart[j]) })).filter((_, j) =>
    byPart[j].some((v) => v !== byPart[j][0]),
  );
  const indicator = present.length < rows.length;
  return { type: 'date', column: column.name, median: medianOf(present), parts: kept, indicator };
}

/** The names of a step's features, before they are made unique across the preparation. */
export function stepFeatureNames(step: PreparationStep): string[] {
  const names =
    step.type === 'category'
      ? step.categories.map((category) => `${step.column}=${category}`)
      : step.type === 'date'
        ? step.parts.map(({ part }) => `${step.column}.${part}`)
        : [step.column];
  return step.indicator ? [...names, `${step.column} missing`] : names;
}
