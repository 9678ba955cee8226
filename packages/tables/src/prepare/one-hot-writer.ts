import type { PreparationStep, TableColumn } from '@stagegraph/contracts';
import type { FeatureSlot, StepTally } from './feature-writers.js';

type CategoryStep = Extract<PreparationStep, { type: 'category' }>;

const MISSING = -1;
/** An unseen category where training had no 'other' column: all zeros. */
const NOWHERE = -2;

/**
 * Each row's one-hot column, found by the category's NAME, never its code: a table read later from another
 * file numbers its categories its own way. A category the training rows never held goes to the 'other'
 * column where training had one (else nowhere) and is counted; a new file's own 'other' bucket maps to
 * training's 'other' and is not counted (its values may well be ones training folded there too).
 */
function categoryIndex(
  step: CategoryStep,
  column: TableColumn & { type: 'category' },
  rows: Int32Array,
  tally: StepTally,
) {
  const kept = new Map(step.categories.map((category, i) => [category, i]));
  const other = step.other === undefined ? NOWHERE : kept.get(step.other)!;
  const indexOfCode = Int32Array.from(column.categories, (category, code) =>
    code === column.otherCode ? other : (kept.get(category) ?? other),
  );
  const unseenCode = Uint8Array.from(column.categories, (category, code) =>
    code !== column.otherCode && !kept.has(category) ? 1 : 0,
  );
  const index = new Int32Array(rows.length);
  const codes = column.codes;
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code < 0) index[i] = MISSING;
    else {
      index[i] = indexOfCode[code];
      tally.unseen += unseenCode[code];
    }
  }
  return index;
}

/** The same for a column the new file's reader typed otherwise (numbers, booleans): its values as text. */
function textIndex(step: CategoryStep, column: TableColumn, rows: Int32Array, tally: StepTally) {
  const kept = new Map(step.categories.map((category, i) => [category, i]));
  const other = step.other === undefined ? NOWHERE : kept.get(step.other)!;
  const values = (column as Extract<TableColumn, { values: unknown }>).values;
  const index = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (Number.isNaN(v) || (column.type === 'boolean' && v === 255)) index[i] = MISSING;
    else {
      const found = kept.get(column.type === 'boolean' ? String(v === 1) : String(v));
      if (found === undefined) tally.unseen++;
      index[i] = found ?? other;
    }
  }
  return index;
}

/** Sets 1 where a row's one-hot column is `want`. One loop per function: V8 optimises each on its own. */
function mark(index: Int32Array, want: number, slot: FeatureSlot): void {
  const { array, start, stride } = slot;
  for (let i = 0; i < index.length; i++) if (index[i] === want) array[start + i * stride] = 1;
}

function countMissing(index: Int32Array): number {
  let n = 0;
  for (let i = 0; i < index.length; i++) if (index[i] === MISSING) n++;
  return n;
}

/** One-hot columns and the is-missing indicator (where fitted); missing and unseen values counted. */
export function writeCategory(
  step: CategoryStep,
  column: TableColumn,
  rows: Int32Array,
  slots: FeatureSlot[],
  tally: StepTally,
) {
  const index =
    column.type === 'category' ? categoryIndex(step, column, rows, tally) : textIndex(step, column, rows, tally);
  tally.missing += countMissing(index);
  step.categories.forEach((_, k) => mark(index, k, slots[k]));
  if (step.indicator) mark(index, MISSING, slots[step.categories.length]);
}
