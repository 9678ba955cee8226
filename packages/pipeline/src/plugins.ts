import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';
import type { AnyStageDefinition } from './stage-definition.js';
import { stageDefinitionProblem } from './stage-definition-check.js';
import { StageRegistry } from './stage-registry.js';

/**
 * A plugin is a plain module object, as in ESLint's flat config: `export const meta = { name,
 * version }; export const stages = [defineStage(...), ...]`. The built-in packages are plugins too.
 */
export interface StagePlugin {
  meta?: { name?: string; version?: string };
  stages: readonly AnyStageDefinition[];
}

/** A plugin with the name it is reported under (its specifier, or its meta name). */
export interface NamedPlugin {
  name: string;
  plugin: StagePlugin;
}

/**
 * Imports the plugins a config lists: `./x.mjs` and `../x.mjs` (and absolute paths) relative to
 * the config's folder, bare names (`some-package`) resolved from that folder as Node would.
 * Anything that does not load, exports no stages or a malformed one (a port of a kind not in
 * `portKinds`, when given) is a ConfigError naming the plugin and the stage.
 */
export async function loadPlugins(
  specifiers: readonly string[],
  configDir: string,
  file?: string,
  portKinds?: ReadonlySet<string>,
): Promise<NamedPlugin[]> {
  const loaded: NamedPlugin[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const at = `plugins[${index}] "${specifier}"`;
    let url: string;
    try {
      const local = specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier);
      const path = local ? resolve(configDir, specifier) : createRequire(join(configDir, 'noop.js')).resolve(specifier);
      if (!statSync(path).isFile()) throw new Error('not a file');
      url = pathToFileURL(path).href;
    } catch {
      throw new ConfigError(
        [`${at}: expected a module file or an installed package, got nothing at that name (from ${configDir})`],
        file,
      );
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      // a module may throw anything: a string, null, an object without message
      const reason = (
        error instanceof Error ? error.message : typeof error === 'string' ? error : `it threw ${String(error)}`
      ).split('\n')[0];
      throw new ConfigError([`${at}: cannot load it: ${reason}`], file);
    }
    try {
      checkPluginStages(module, portKinds);
    } catch (error) {
      // a getter or Proxy in the module that throws is the plugin's fault too: named, one line
      const reason = error instanceof Error ? error.message : `it threw ${String(error)}`;
      throw new ConfigError([`${at}: ${reason.split('\n')[0]}`], file);
    }
    loaded.push({ name: specifier, plugin: module as unknown as StagePlugin });
  }
  return loaded;
}

/** A module's `stages` as the engine will read them; throws the first problem, without the plugin's name. */
function checkPluginStages(
  module: Record<string, unknown>,
  portKinds: Parameters<typeof stageDefinitionProblem>[1],
): void {
  const stages = module.stages;
  if (!Array.isArray(stages) || stages.length === 0)
    throw new Error(
      `expected a module exporting \`stages\`, an array of defineStage(...) results, got exports ${Object.keys(module).join(', ') || '(none)'}`,
    );
  for (const [position, stage] of stages.entries()) {
    const problem = stageDefinitionProblem(stage, portKinds);
    const type = typeof stage?.type === 'string' ? ` (${stage.type})` : '';
    if (problem) throw new Error(`stages[${position}]${type}: ${problem}`);
  }
}

/**
 * One registry from plugins, built once per run and never changed after. A stage type defined
 * twice is a ConfigError naming both plugins: a plugin cannot silently replace a built-in stage.
 */
export function registryOf(plugins: readonly NamedPlugin[], file?: string): StageRegistry {
  const registry = new StageRegistry();
  const owner = new Map<string, string>();
  for (const { name, plugin } of plugins) {
    for (const stage of plugin.stages) {
      const first = owner.get(stage.type);
      if (first !== undefined)
        throw new ConfigError(
          [`plugin "${name}": stage type "${stage.type}" is already defined by "${first}"; rename it`],
          file,
        );
      owner.set(stage.type, name);
      registry.register(stage);
    }
  }
  return registry;
}
