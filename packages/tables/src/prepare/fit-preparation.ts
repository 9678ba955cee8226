import type { PredictionTask, PreparationStep, Table, TableColumn, TablePreparation } from '@stagegraph/contracts';
import { fitBoolean, fitCategory, fitDate, fitNumber, stepFeatureNames } from './fit-steps.js';
import { inferTask } from './infer-task.js';
import { classesOf, labelColumn } from './label-classes.js';

function fitStep(column: TableColumn, rows: Int32Array): PreparationStep {
  switch (column.type) {
    case 'number':
      return fitNumber(column, rows);
    case 'category':
      return fitCategory(column, rows);
    case 'boolean':
      return fitBoolean(column, rows);
    case 'date':
      return fitDate(column, rows);
  }
}

/** Feature names made unique (and distinct from the label's): a second "a=b" becomes "a=b #2". */
export function uniqueNames(names: string[], taken: Iterable<string>): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name} #${n}`;
    used.add(unique);
    return unique;
  });
}

/**
 * Fits the feature preparation of every column but the label on `trainRows` ONLY: medians, means, stds,
 * kept categories and boolean fills never see a validation or test row, so the scores measured on those
 * rows are not flattered by them. The classes (a classification's) are the label's values in the whole
 * table: they name outcomes, and a class seen only among test rows still needs a code.
 */
export function fitPreparation(
  table: Table,
  trainRows: Int32Array,
  options: { task?: PredictionTask } = {},
): TablePreparation {
  const label = labelColumn(table);
  const { task } = inferTask(table, options.task);
  const steps = table.columns.filter((column) => column !== label).map((column) => fitStep(column, trainRows));
  return {
    format: 'stagegraph-table-preparation',
    label: label.name,
    task,
    ...(task === 'classification' ? { classes: classesOf(label).classes } : {}),
    steps,
    features: uniqueNames(steps.flatMap(stepFeatureNames), [label.name]),
  };
}
