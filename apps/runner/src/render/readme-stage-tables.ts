import type { NamedPlugin } from '@stagegraph/pipeline';
import { stagesAsMarkdown } from './stage-docs.js';

// A README marks where a module's stage tables go; `npm run docs` fills them from the stage
// definitions and a test fails when a README is stale, so the tables cannot drift from the code.
const BLOCK = /(<!-- stages: (\S+) -->\n)[\s\S]*?(<!-- \/stages -->)/g;

/** The modules whose stage tables a README holds, in order. */
export function stageTableModules(readme: string): string[] {
  return [...readme.matchAll(BLOCK)].map((m) => m[2]);
}

/** The README with each stage-table block rewritten from the plugin of that name. */
export function withStageTables(readme: string, plugins: readonly NamedPlugin[]): string {
  return readme.replace(BLOCK, (_all, open: string, name: string, close: string) => {
    const plugin = plugins.find((p) => p.name === name);
    if (!plugin)
      throw new Error(
        `README stage table names "${name}", which is not a built-in plugin (${plugins.map((p) => p.name).join(', ')})`,
      );
    return `${open}\n${stagesAsMarkdown(plugin.plugin.stages)}\n${close}`;
  });
}
