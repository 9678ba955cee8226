import type { PreparationStep, TableColumn } from '@stagegraph/contracts';
import type { FeatureSlot, StepTally } from './feature-writers.js';

type CategoryStep = Extract<PreparationStep, { type: 'category' }>;

/** Codes that stand for a missing value and for an unseen category (no one-hot column, or the 'other' one). */
const MISSING = -1;

/**
 * Each row's one-hot column by the category's NAME, never its code: a table read later from another
 * file numbers its categories its own way. `column` = -1 for none; `unseen` marks a category the
 * training rows never held (a new file's own 'other' bucket is not "unseen": it maps to training's 'other').
 */
interface CategoryLookup {
  readonly index: (row: number) => number;
  readonly unseen: (row: number) => boolean;
}

function lookupFor(step: CategoryStep, column: TableColumn): CategoryLookup {
  const kept = new Map(step.categories.map((category, i) => [category, i]));
  const otherIndex = step.other === undefined ? -1 : kept.get(step.other)!;
  if (column.type === 'category') {
    const indexOfCode = Int32Array.from(column.categories, (category, code) =>
      code === column.otherCode ? otherIndex : (kept.get(category) ?? otherIndex),
    );
    const unseenCode = Uint8Array.from(column.categories, (category, code) =>
      code !== column.otherCode && !kept.has(category) ? 1 : 0,
    );
    return {
      index: (row) => (column.codes[row] < 0 ? MISSING : indexOfCode[column.codes[row]]),
      unseen: (row) => column.codes[row] >= 0 && unseenCode[column.codes[row]] === 1,
    };
  }
  // a column the new file's reader typed otherwise (numbers, booleans): its values as text
  const text = (row: number): string | undefined => {
    const v = (column as Extract<TableColumn, { values: unknown }>).values[row];
    if (v === undefined || Number.isNaN(v) || (column.type === 'boolean' && v === 255)) return undefined;
    return column.type === 'boolean' ? String(v === 1) : String(v);
  };
  return {
    index: (row) => {
      const value = text(row);
      return value === undefined ? MISSING : (kept.get(value) ?? otherIndex);
    },
    unseen: (row) => {
      const value = text(row);
      return value !== undefined && !kept.has(value);
    },
  };
}

/** One-hot columns (and the is-missing indicator, where fitted); missing and unseen values counted. */
export function writeCategory(
  step: CategoryStep,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const lookup = lookupFor(step, column);
  const indicator = step.indicator ? slots[step.categories.length] : undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const index = lookup.index(row);
    if (index >= 0) slots[index].array[slots[index].start + i * slots[index].stride] = 1;
    if (lookup.unseen(row)) tally.unseen++;
    else if (index === MISSING) {
      tally.missing++;
      if (indicator) indicator.array[indicator.start + i * indicator.stride] = 1;
    }
  }
}
