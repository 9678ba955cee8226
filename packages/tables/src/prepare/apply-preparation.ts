import { DataError, didYouMean } from '@stagegraph/pipeline';
import type { PreparationStep, Table, TableColumn, TablePreparation } from '@stagegraph/contracts';
import { writeBoolean, writeDate, writeNumber, type FeatureSlot, type StepTally } from './feature-writers.js';
import { writeCategory } from './one-hot-writer.js';
import { stepFeatureNames } from './fit-steps.js';
import { encodeLabels } from './encode-labels.js';

export interface PreparationCounts {
  /** Per column with any: missing values (numbers, booleans and dates imputed; a category's one-hot all zeros). */
  readonly missing: Record<string, number>;
  /** Per column with any: categories the training rows never held (all zeros, or the 'other' column). */
  readonly unseen: Record<string, number>;
  /** Rows whose label is a class the preparation does not know (code -1). */
  readonly unseenClasses: number;
}

export interface PreparedColumns {
  readonly labels?: Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
  readonly counts: PreparationCounts;
  /** The table's columns the preparation does not use (neither a step's nor the label): ignored, said once. */
  readonly extraColumns: string[];
}

/** The feature matrix of `rows` rows: row-major, rows x preparation.features.length. */
export interface PreparedRows extends PreparedColumns {
  readonly rows: number;
  readonly features: Float32Array;
}

/** Which column types each step reads: a new file's reader may type a column otherwise, as long as it makes sense. */
const READS: Record<PreparationStep['type'], TableColumn['type'][]> = {
  number: ['number', 'boolean'],
  boolean: ['boolean', 'number'],
  date: ['date'],
  category: ['category', 'number', 'boolean'],
};

/** Each step's column of the table; one DataError naming every column the table lacks or holds as the wrong type. */
function columnsFor(preparation: TablePreparation, table: Table): TableColumn[] {
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const lacking = preparation.steps.filter((step) => !byName.has(step.column)).map((step) => step.column);
  if (lacking.length) {
    const names = lacking.map((name) => `"${name}"`).join(', ');
    const hint = lacking.length === 1 ? didYouMean(lacking[0], byName.keys()) : '';
    throw new DataError(
      `${table.source.file}: expected the column${lacking.length > 1 ? 's' : ''} ${names} the model was trained on, got none${hint}`,
    );
  }
  return preparation.steps.map((step) => {
    const column = byName.get(step.column)!;
    if (!READS[step.type].includes(column.type))
      throw new DataError(
        `${table.source.file}: expected column "${step.column}" to hold ${step.type} values (as in training), got ${column.type} values`,
      );
    return column;
  });
}

const WRITERS = { number: writeNumber, boolean: writeBoolean, date: writeDate, category: writeCategory } as const;

/** Writes every feature of `rows` through `slotFor(feature)`; labels encoded where the table holds the label. */
export function writePrepared(
  preparation: TablePreparation,
  table: Table,
  rows: Int32Array,
  slotFor: (feature: number) => FeatureSlot,
): PreparedColumns {
  const columns = columnsFor(preparation, table);
  const missing: Record<string, number> = {};
  const unseen: Record<string, number> = {};
  let feature = 0;
  preparation.steps.forEach((step, s) => {
    const count = stepFeatureNames(step).length;
    const slots = Array.from({ length: count }, (_, j) => slotFor(feature + j));
    const tally: StepTally = { missing: 0, unseen: 0 };
    (WRITERS[step.type] as (...args: unknown[]) => void)(step, columns[s], rows, slots, tally);
    if (tally.missing) missing[step.column] = tally.missing;
    if (tally.unseen) unseen[step.column] = tally.unseen;
    feature += count;
  });
  const used = new Set([...preparation.steps.map((step) => step.column), preparation.label]);
  const extraColumns = table.columns.map((column) => column.name).filter((name) => !used.has(name));
  const labelled = table.columns.find((column) => column.name === preparation.label);
  const encoded = labelled && encodeLabels(preparation, labelled, rows);
  return {
    ...(encoded ? { labels: encoded.labels } : {}),
    counts: { missing, unseen, unseenClasses: encoded?.unseenClasses ?? 0 },
    extraColumns,
  };
}

/**
 * Applies a fitted preparation to `rows` of a table (default all): a row-major Float32Array of features,
 * the labels where the table holds the label column (class codes by class NAME, or values), and what was
 * missing or unseen. The table may come from another file than the one fitted on (prediction).
 */
export function applyPreparation(preparation: TablePreparation, table: Table, rows?: Int32Array): PreparedRows {
  const chosen = rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
  const width = preparation.features.length;
  const features = new Float32Array(chosen.length * width);
  const prepared = writePrepared(preparation, table, chosen, (feature) => ({
    array: features,
    start: feature,
    stride: width,
  }));
  return { ...prepared, rows: chosen.length, features };
}

/** The same features column by column (Float64Array each), as a prepared TABLE holds them. */
export function prepareColumns(
  preparation: TablePreparation,
  table: Table,
  rows: Int32Array,
): PreparedColumns & { columns: Float64Array<ArrayBuffer>[] } {
  const columns = preparation.features.map(() => new Float64Array(rows.length));
  const prepared = writePrepared(preparation, table, rows, (feature) => ({
    array: columns[feature],
    start: 0,
    stride: 1,
  }));
  return { ...prepared, columns };
}
