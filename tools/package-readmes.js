// `npm run docs`: rewrites the stage tables in each package README from the stage definitions
// (the built runner's BUILT_IN_PLUGINS). readme-stage-tables.spec.ts fails when one is stale.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@stagegraph/pipeline';
import { BUILT_IN_PLUGINS, withStageTables } from 'stagegraph';

for (const dir of [
  'packages/pipeline',
  'packages/contracts',
  'packages/core-tensor',
  'packages/preprocess',
  'packages/models-lstm',
  'packages/models-cnn',
  'packages/models-classical',
  'packages/metrics',
  'packages/forecast',
  'packages/viz',
  'packages/tables',
  'apps/runner',
]) {
  const file = `${dir}/README.md`;
  const before = readFileSync(file, 'utf8');
  const after = withStageTables(before, BUILT_IN_PLUGINS);
  if (after !== before) {
    await writeFileAtomic(file, after);
    console.log(`updated ${file}`);
  }
}
