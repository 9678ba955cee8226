import { DataError, defineContract, defineStage, port } from '@stagegraph/pipeline';
import { argmaxRows, CLASS_NAMES, ONE_HOT_LABELS } from '@stagegraph/contracts';
import { z } from 'zod';

/** What the stage outputs, checked when it does: kind 'metrics' puts it in the run's metrics.json and report. */
export const CLASS_BALANCE = defineContract({
  name: 'class balance',
  kind: 'metrics',
  check: (value) =>
    typeof value?.labelCounts === 'object' && typeof value?.classBalance === 'number'
      ? undefined
      : `expected {labelCounts, classBalance}, got ${JSON.stringify(value)?.slice(0, 60)}`,
});

/** Images per class, by name, from row-major one-hot labels [n, classes]: { circle: 21, ... }. */
export function countClasses(oneHot, names) {
  const counts = Object.fromEntries(names.map((name) => [name, 0]));
  for (const label of argmaxRows(oneHot, names.length)) counts[names[label]]++;
  return counts;
}

export const classCountsStage = defineStage({
  type: 'mine.class-counts', // "<your package>.<name>": bump `version` when the output would change
  version: 1,
  description:
    'How many training images each class folder gave, and the rarest class as a share of the commonest: look at the data before training.',
  params: z.strictObject({
    minBalance: z.number().min(0).max(1).default(0).describe('a rarest/commonest ratio below this is an error'),
  }),
  inputs: {
    labels: port(ONE_HOT_LABELS, { description: 'one-hot labels [n, classes]' }),
    classes: port(CLASS_NAMES, { description: "the data stage's class names (the folder names)" }),
  },
  outputs: { metrics: port(CLASS_BALANCE) },
  async run(inputs, params, ctx) {
    const counts = countClasses(await inputs.labels.data(), inputs.classes.names);
    const sizes = Object.values(counts);
    const balance = Math.min(...sizes) / Math.max(...sizes);
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (balance < params.minBalance)
      throw new DataError(
        `${ctx.stageId}: expected the rarest class at least ${params.minBalance} of the commonest, got ${balance.toFixed(3)}`,
      );
    ctx.log(
      `training images per class: ${Object.entries(counts)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
    return { metrics: { labelCounts: counts, classBalance: balance } };
  },
});
