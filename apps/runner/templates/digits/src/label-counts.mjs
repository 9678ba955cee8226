import { DataError, defineContract, defineStage, port } from '@stagegraph/pipeline';
import { argmaxRows, ONE_HOT_LABELS } from '@stagegraph/contracts';
import { z } from 'zod';

/** What the stage outputs, checked when it does: kind 'metrics' puts it in the run's metrics.json and report. */
export const CLASS_BALANCE = defineContract({
  name: 'class balance',
  kind: 'metrics',
  check: (value) =>
    Array.isArray(value?.labelCounts) && typeof value?.classBalance === 'number'
      ? undefined
      : `expected {labelCounts, classBalance}, got ${JSON.stringify(value)?.slice(0, 60)}`,
});

/** How many rows of a row-major one-hot [n, classes] matrix fall in each class. */
export function countLabels(oneHot, classes) {
  const counts = new Array(classes).fill(0);
  for (const label of argmaxRows(oneHot, classes)) counts[label]++;
  return counts;
}

export const labelCountsStage = defineStage({
  type: 'mine.label-counts', // "<your package>.<name>": bump `version` when the output would change
  version: 1,
  description:
    'How many examples each class has, and the rarest class as a share of the commonest: look at the data before training.',
  params: z.strictObject({
    minBalance: z.number().min(0).max(1).default(0).describe('a rarest/commonest ratio below this is an error'),
  }),
  inputs: { labels: port(ONE_HOT_LABELS, { description: 'one-hot labels [n, classes]' }) },
  outputs: { metrics: port(CLASS_BALANCE) },
  async run(inputs, params, ctx) {
    const classes = inputs.labels.shape[1];
    const counts = countLabels(await inputs.labels.data(), classes);
    const balance = Math.min(...counts) / Math.max(...counts);
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (balance < params.minBalance)
      throw new DataError(
        `labels: expected the rarest class at least ${params.minBalance} of the commonest, got ${balance.toFixed(3)}`,
      );
    ctx.log(`${counts.length} classes, ${counts.reduce((a, b) => a + b, 0)} labels, balance ${balance.toFixed(3)}`);
    return { metrics: { labelCounts: counts, classBalance: balance } };
  },
});
