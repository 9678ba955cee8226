import { DataError, defineStage, port, type StageContext } from '@stagegraph/pipeline';
import {
  PREDICTION_TASKS,
  TABLE,
  TABLE_FOLDS,
  TABLE_PREPARATION,
  type Table,
  type TablePreparation,
} from '@stagegraph/contracts';
import { z } from 'zod';
import type { PreparationCounts } from '../prepare/apply-preparation.js';

const params = z
  .strictObject({
    task: z
      .enum(PREDICTION_TASKS)
      .optional()
      .describe(
        'what to predict; inferred from the label by default (categories, booleans and few whole numbers are classes)',
      ),
    testFraction: z.number().gt(0).lt(1).default(0.2).describe('share of the labelled rows held out for the test'),
    validationFraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0.1)
      .describe('share held out for validation (early stopping); not used with folds'),
    seed: z.number().int().optional().describe('the split seed (default: from the config seed and the stage id)'),
    stratify: z.boolean().default(true).describe("a classification's splits keep each class's share"),
    folds: z
      .number()
      .int()
      .min(2)
      .max(50)
      .optional()
      .describe('k-fold cross-validation over the training rows instead of a validation split (small tables)'),
  })
  .refine((p) => p.testFraction + (p.folds ? 0 : p.validationFraction) < 1, {
    message: 'expected testFraction + validationFraction below 1',
    path: ['validationFraction'],
  });

type Params = z.output<typeof params>;

/** Per split, one line of what applying the preparation met: missing values filled, unseen categories. */
function countsLine(split: string, counts: PreparationCounts): string | undefined {
  const list = (byColumn: Record<string, number>) =>
    Object.entries(byColumn)
      .map(([column, n]) => `${column} ${n}`)
      .join(', ');
  const parts = [
    Object.keys(counts.missing).length ? `missing (filled) ${list(counts.missing)}` : '',
    Object.keys(counts.unseen).length ? `categories unseen in training ${list(counts.unseen)}` : '',
    counts.unseenClasses ? `${counts.unseenClasses} labels of an unknown class` : '',
  ].filter(Boolean);
  return parts.length ? `${split}: ${parts.join('; ')}` : undefined;
}

/** The label in a line: each class's rows (the first 20), or a regression label's mean and std over the training rows. */
function labelLine(preparation: TablePreparation, train: Table): string {
  const label = train.columns.at(-1)!;
  if (label.type === 'category') {
    const counts = new Int32Array(label.categories.length);
    for (const code of label.codes) if (code >= 0) counts[code]++;
    const shown = label.categories.slice(0, 20).map((name, code) => `${name} ${counts[code]}`);
    const more = label.categories.length > 20 ? `, and ${label.categories.length - 20} more` : '';
    return `classes (training rows): ${shown.join(', ')}${more}`;
  }
  const values = (label.type === 'number' ? label.values : new Float64Array()).filter((v) => !Number.isNaN(v));
  const mean = values.reduce((sum, v) => sum + v, 0) / (values.length || 1);
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length || 1));
  return `label "${preparation.label}" over the training rows: mean ${mean.toPrecision(4)}, std ${std.toPrecision(4)}`;
}

async function prepare(table: Table, p: Params, ctx: StageContext) {
  const { inferTask, splitRows, kFolds, fitPreparation, preparedTable } = await import('../prepare/index.js');
  const inference = inferTask(table, p.task);
  ctx.log(`task: ${inference.task} (label "${table.label}": ${inference.reason})`);
  const seed = p.seed ?? ctx.seed;
  const options = { task: inference.task, stratify: p.stratify, seed };
  const split = splitRows(table, {
    ...options,
    testFraction: p.testFraction,
    validationFraction: p.folds ? 0 : p.validationFraction,
  });
  const preparation = fitPreparation(table, split.train, { task: inference.task });
  const [train, validation, test] = [split.train, split.validation, split.test].map((rows) =>
    preparedTable(preparation, table, rows),
  );
  const folds = p.folds ? kFolds(table, { ...options, k: p.folds, rows: split.train }) : undefined;
  ctx.log(labelLine(preparation, train.table));
  const how = split.stratified ? ', stratified by class' : '';
  const left = split.unlabelled ? `; ${split.unlabelled} rows without a label left out` : '';
  const cv = folds ? ` (${p.folds}-fold cross-validation over the training rows)` : '';
  ctx.log(
    `rows: ${split.train.length} train, ${split.validation.length} validation, ${split.test.length} test${how}${cv}${left}`,
  );
  ctx.log(
    `features: ${preparation.features.length} from ${preparation.steps.length} columns, fitted on the training rows only`,
  );
  if (train.extraColumns.length) ctx.log(`not used: ${train.extraColumns.join(', ')}`);
  for (const [name, prepared] of Object.entries({ train, validation, test })) {
    const line = countsLine(name, prepared.counts);
    if (line) ctx.log(line);
  }
  return {
    train: train.table,
    validation: validation.table,
    test: test.table,
    preparation,
    folds: { k: p.folds ?? 0, fold: folds ? Array.from(folds.foldOf) : [] },
  };
}

export const prepareTableStage = defineStage({
  type: 'tables.prepare',
  version: 1,
  description:
    'Splits a table (seeded; stratified by class for a classification) and prepares its features, fitted on the training rows only: numbers standardised with missing ones filled by the median and flagged, categories one-hot by name, dates to year, month and day of the week. The task comes from the label unless `task` says.',
  params,
  inputs: { table: port(TABLE) },
  outputs: {
    train: port(TABLE, { description: 'the training rows: one number column per feature, then the label' }),
    validation: port(TABLE, { description: 'the validation rows, prepared alike (no rows with folds)' }),
    test: port(TABLE, { description: 'the test rows, prepared alike' }),
    preparation: port(TABLE_PREPARATION, { description: 'the fitted preparation, saved with a model for predict' }),
    folds: port(TABLE_FOLDS, { description: 'with `folds`: the fold of each training row (k 0 without)' }),
  },
  async run({ table }, p, ctx) {
    try {
      return await prepare(table, p, ctx);
    } catch (error) {
      if (error instanceof DataError) throw new DataError(`${ctx.stageId}: ${error.message}`);
      throw error;
    }
  },
});
