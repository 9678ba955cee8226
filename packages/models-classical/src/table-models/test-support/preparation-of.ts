import type { Table, TablePreparation } from '@stagegraph/contracts';

/**
 * A preparation that would have made a prepared table's feature columns (each an identity number step),
 * for the stage's `preparation` input: the card the stage emits must carry it.
 */
export function preparationOf(table: Table): TablePreparation {
  const features = table.columns.map((column) => column.name).filter((name) => name !== table.label);
  const label = table.columns.find((column) => column.name === table.label);
  const classes = label?.type === 'category' ? label.categories : undefined;
  return {
    format: 'stagegraph-table-preparation',
    label: table.label ?? 'y',
    task: classes ? 'classification' : 'regression',
    ...(classes ? { classes } : {}),
    steps: features.map((column) => ({ type: 'number', column, median: 0, mean: 0, std: 1, indicator: false })),
    features,
  };
}
