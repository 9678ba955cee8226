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

/** A column's value at a row as a number, NaN where missing (number, date and boolean columns). */
function numberAt(column: TableColumn): (row: number) => number {
  if (column.type === 'boolean') return (row) => (column.values[row] === 255 ? NaN : column.values[row]);
  if (column.type === 'category') throw new Error(`column "${column.name}" holds categories, not numbers`);
  const values = column.values;
  return (row) => values[row];
}

function writeIndicator(slot: FeatureSlot | undefined, i: number, missing: boolean): void {
  if (slot && missing) slot.array[slot.start + i * slot.stride] = 1;
}

export function writeNumber(
  step: Step<'number'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const at = numberAt(column);
  const [out, indicator] = [slots[0], step.indicator ? slots[1] : undefined];
  const scale = 1 / step.std;
  for (let i = 0; i < rows.length; i++) {
    let v = at(rows[i]);
    const missing = !Number.isFinite(v);
    if (missing) {
      v = step.median;
      tally.missing++;
    }
    out.array[out.start + i * out.stride] = (v - step.mean) * scale;
    writeIndicator(indicator, i, missing);
  }
}

export function writeBoolean(
  step: Step<'boolean'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const at = numberAt(column);
  const [out, indicator] = [slots[0], step.indicator ? slots[1] : undefined];
  for (let i = 0; i < rows.length; i++) {
    let v = at(rows[i]);
    const missing = !Number.isFinite(v);
    if (missing) {
      v = step.fill;
      tally.missing++;
    }
    out.array[out.start + i * out.stride] = v;
    writeIndicator(indicator, i, missing);
  }
}

export function writeDate(
  step: Step<'date'>,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const at = numberAt(column);
  const indicator = step.indicator ? slots[step.parts.length] : undefined;
  const partIndex = step.parts.map(({ part }) => ['year', 'month', 'dayOfWeek'].indexOf(part));
  const parts = new Float64Array(3);
  for (let i = 0; i < rows.length; i++) {
    let v = at(rows[i]);
    const missing = !Number.isFinite(v);
    if (missing) {
      v = step.median;
      tally.missing++;
    }
    dateParts(v, parts);
    step.parts.forEach(({ mean, std }, j) => {
      const slot = slots[j];
      slot.array[slot.start + i * slot.stride] = (parts[partIndex[j]] - mean) / std;
    });
    writeIndicator(indicator, i, missing);
  }
}
