import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages a new project depends on, and where from. */
export interface TemplateDependencies {
  contracts: string;
  pipeline: string;
  cli: string;
  /** Where the specs point when they are links into a checkout. */
  checkout?: string;
}

/**
 * Registry ranges (`^0.1.0`) for a CLI installed from a registry; `file:` links to the workspace's
 * own packages when this CLI runs from a clone of the repository, whose packages are on no public
 * registry: then `npm install` in the new project links them instead of failing with a 404.
 */
export function templateDependencies(version: string): TemplateDependencies {
  const checkout = checkoutRoot();
  if (!checkout) return { contracts: `^${version}`, pipeline: `^${version}`, cli: `^${version}` };
  return {
    contracts: `file:${join(checkout, 'packages', 'contracts')}`,
    pipeline: `file:${join(checkout, 'packages', 'pipeline')}`,
    cli: `file:${join(checkout, 'apps', 'runner')}`,
    checkout,
  };
}

/** The repository this CLI runs from (apps/runner of a workspace holding packages/pipeline), or undefined when installed. */
function checkoutRoot(): string | undefined {
  const cliDir = realpathSync(fileURLToPath(new URL('../..', import.meta.url))); // apps/runner, from src/commands or dist/commands
  if (cliDir.split(sep).includes('node_modules')) return undefined;
  const root = join(cliDir, '..', '..');
  const named = (dir: string, name: string) => {
    const file = join(root, dir, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name;
  };
  return named('packages/pipeline', '@stagegraph/pipeline') && named('packages/contracts', '@stagegraph/contracts')
    ? realpathSync(root)
    : undefined;
}
