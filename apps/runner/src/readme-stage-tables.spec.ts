import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stageTableModules, withStageTables } from './render/readme-stage-tables.js';
import { BUILT_IN_PLUGINS } from './workspace-registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readmes = [
  'packages/preprocess',
  'packages/models-lstm',
  'packages/models-cnn',
  'packages/models-classical',
  'packages/metrics',
  'packages/forecast',
  'packages/viz',
  'packages/tables',
].map((dir) => join(root, dir, 'README.md'));

describe('package README stage tables', () => {
  it('every built-in plugin has its stage tables in a package README', () => {
    const documented = readmes.flatMap((file) => stageTableModules(readFileSync(file, 'utf8')));
    expect(documented.sort()).toEqual(BUILT_IN_PLUGINS.map((p) => p.name).sort());
  });

  it.each(readmes)('%s matches the stage definitions (npm run docs rewrites it)', (file) => {
    const readme = readFileSync(file, 'utf8');
    expect(readme).toBe(withStageTables(readme, BUILT_IN_PLUGINS));
  });

  it('a table names each port with its contract and each param with type, default and description', () => {
    const text = withStageTables('<!-- stages: @stagegraph/metrics -->\n<!-- /stages -->', BUILT_IN_PLUGINS);
    expect(text).toContain('### `metrics.classification` (v2)');
    expect(text).toContain('| `probabilities` | in | class-probability matrix [n, classes] |');
    expect(text).toContain('| `metrics` | out | classification metrics |');
    expect(() => withStageTables('<!-- stages: @stagegraph/nothing -->\n<!-- /stages -->', BUILT_IN_PLUGINS)).toThrow(
      /"@stagegraph\/nothing", which is not a built-in plugin/,
    );
  });
});
