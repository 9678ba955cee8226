import type { PreparationStep, TableColumn } from '@stagegraph/contracts';
import { dateParts } from './date-parts.js';

/**
 * Where one feature's values go: array[start + i * stride] for the i-th row prepared. A row-major matrix
 * gives (matrix, feature, features); a column of its own gives (column, 0, 1). Arrays come zeroed.
 */
export interface FeatureSlot {
  readonly array: Float32Array | Float64Array;
  readonly start: number;
  readonly stride: number;
}

/** What applying one step met: missing values (imputed; a category's all zeros) and categories training never held. */
export interface StepTally {
  missing: number;
  unseen: number;
}

type Step<T extends PreparationStep['type']> = Extract<PreparationStep, { type: T }>;

/**
 * The column's values at `rows` as one Float64Array, NaN where missing (number, date and boolean columns):
 * the writers then run tight loops over one array type, which V8 keeps fast for millions of rows.
 */
function gather(column: TableColumn, rows: Int32Array): Float64Array {
  if (column.type === 'category') throw new Error(`column "${column.name}" holds categories, not numbers`);
  const out = new Float64Array(rows.length);
  const values = column.values;
  if (column.type === 'boolean')
    for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]] === 255 ? NaN : values[rows[i]];
  else for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/** Writes `values` through `slot`: (value - mean) / std, or as they are. */
function writeScaled(slot: FeatureSlot, values: Float64Array, mean = 0, std = 1): void {
  const { array, start, stride } = slot;
  const scale = 1 / std;
  for (let i = 0; i < values.length; i++) array[start + i * stride] = (values[i] - mean) * scale;
}

/** Replaces missing values by `fill`, flags them in `indicator` (where fitted) and counts them. */
function fillMissing(values: Float64Array, fill: number, indicator: FeatureSlot | undefined, tally: StepTally): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) continue;
    values[i] = fill;
    tally.missing++;
    if (indicator) indicator.array[indicator.start + i * indicator.stride] = 1;
  }
}

export function writeNumber(
  step: Step<'number'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const values = gather(column, rows);
  fillMissing(values, step.median, step.indicator ? slots[1] : undefined, tally);
  writeScaled(slots[0], values, step.mean, step.std);
}

export function writeBoolean(
  step: Step<'boolean'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const values = gather(column, rows);
  fillMissing(values, step.fill, step.indicator ? slots[1] : undefined, tally);
  writeScaled(slots[0], values);
}

const PART_INDEX = { year: 0, month: 1, dayOfWeek: 2 } as const;

export function writeDate(
  step: Step<'date'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const dates = gather(column, rows);
  fillMissing(dates, step.median, step.indicator ? slots[step.parts.length] : undefined, tally);
  const byPart = [new Float64Array(dates.length), new Float64Array(dates.length), new Float64Array(dates.length)];
  const parts = new Float64Array(3);
  for (let i = 0; i < dates.length; i++) {
    dateParts(dates[i], parts);
    byPart[0][i] = parts[0];
    byPart[1][i] = parts[1];
    byPart[2][i] = parts[2];
  }
  step.parts.forEach(({ part, mean, std }, j) => writeScaled(slots[j], byPart[PART_INDEX[part]], mean, std));
}
