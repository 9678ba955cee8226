import type { Table, TableColumn, TablePreparation } from '@stagegraph/contracts';
import { prepareColumns, type PreparedColumns } from './apply-preparation.js';
import { stepFeatureNames } from './fit-steps.js';

/**
 * Each feature's `distinct`: its source column's count (a standardised number or date part keeps at most
 * as many values as the file had), 2 for a one-hot, boolean or is-missing column. Cheap by design: counting
 * the distinct values of millions of prepared numbers would cost more than preparing them.
 */
function featureDistinct(preparation: TablePreparation, table: Table): number[] {
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  return preparation.steps.flatMap((step) => {
    const names = stepFeatureNames(step);
    const own = step.type === 'number' || step.type === 'date' ? (byName.get(step.column)?.distinct ?? 0) : 2;
    return names.map((_, j) => (step.indicator && j === names.length - 1 ? 2 : step.type === 'category' ? 2 : own));
  });
}

function labelOut(
  preparation: TablePreparation,
  labels: Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>,
  distinct: number,
): TableColumn {
  const name = preparation.label;
  if (labels instanceof Int32Array) {
    const categories = preparation.classes ?? [];
    const counts = new Int32Array(categories.length + 1); // the last counts missing (-1)
    for (let i = 0; i < labels.length; i++) counts[labels[i] >= 0 ? labels[i] : categories.length]++;
    const present = counts.subarray(0, categories.length).filter((n) => n > 0).length;
    return { name, type: 'category', codes: labels, categories, missing: counts[categories.length], distinct: present };
  }
  let missing = 0;
  for (let i = 0; i < labels.length; i++) if (Number.isNaN(labels[i])) missing++;
  return { name, type: 'number', values: labels, missing, distinct };
}

/**
 * Rows of a table, prepared: one number column per feature (named as `preparation.features`, none
 * missing), then the label (a category of the class names for a classification, numbers for a
 * regression), so a split travels through the 'table' codec like any table.
 */
export function preparedTable(
  preparation: TablePreparation,
  table: Table,
  rows: Int32Array,
): PreparedColumns & { table: Table } {
  const { columns, ...prepared } = prepareColumns(preparation, table, rows);
  const distinct = featureDistinct(preparation, table);
  const features: TableColumn[] = columns.map((values, f) => ({
    name: preparation.features[f],
    type: 'number',
    values,
    missing: 0,
    distinct: distinct[f],
  }));
  const labelDistinct = table.columns.find((column) => column.name === preparation.label)?.distinct ?? 0;
  const label = prepared.labels ? [labelOut(preparation, prepared.labels, labelDistinct)] : [];
  return {
    ...prepared,
    table: {
      rows: rows.length,
      ...(label.length ? { label: preparation.label } : {}),
      columns: [...features, ...label],
      dropped: table.dropped,
      source: table.source,
    },
  };
}
