import { DataError, defineContract, defineStage, port } from '@stagegraph/pipeline';
import { TABLE } from '@stagegraph/contracts';
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

/** Rows per class of a table's category label: { Adelie: 151, ... }. */
export function countClasses(table) {
  const label = table.columns.find((column) => column.name === table.label);
  if (label?.type !== 'category')
    throw new DataError(`table.label: expected a category column to count, got ${label?.type ?? 'none'}`);
  const counts = Object.fromEntries(label.categories.map((name) => [name, 0]));
  for (const code of label.codes) if (code >= 0) counts[label.categories[code]]++;
  return counts;
}

export const classBalanceStage = defineStage({
  type: 'mine.class-balance', // "<your package>.<name>": bump `version` when the output would change
  version: 1,
  description:
    'How many rows each class of the label has, and the rarest class as a share of the commonest: look at the data before training.',
  params: z.strictObject({
    minBalance: z.number().min(0).max(1).default(0).describe('a rarest/commonest ratio below this is an error'),
  }),
  inputs: { table: port(TABLE, { description: 'a table whose label is a category column' }) },
  outputs: { metrics: port(CLASS_BALANCE) },
  async run(inputs, params, ctx) {
    const counts = countClasses(inputs.table);
    const sizes = Object.values(counts);
    const balance = Math.min(...sizes) / Math.max(...sizes);
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (balance < params.minBalance)
      throw new DataError(
        `${ctx.stageId}: expected the rarest class at least ${params.minBalance} of the commonest, got ${balance.toFixed(3)}`,
      );
    ctx.log(
      `${sizes.length} classes: ${Object.entries(counts)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
    return { metrics: { labelCounts: counts, classBalance: balance } };
  },
});
