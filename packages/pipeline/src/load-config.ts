import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './errors.js';
import { parseJsonStrict } from './parse-json.js';
import { loadPlugins, registryOf, type NamedPlugin } from './plugins.js';
import { notAFile, unreadable } from './read-data-file.js';
import { applyOverrides } from './overrides.js';
import type { StageRegistry } from './stage-registry.js';
import { validateConfig, type ValidatedPipeline } from './validate-config.js';

/** Reads and parses a config file and applies `--set path=value` overrides; nothing is checked yet. */
export function readConfig(file: string, overrides: string[] = []): unknown {
  let text: string;
  try {
    const kind = notAFile(statSync(file)); // a FIFO would block forever
    if (kind) throw new ConfigError([`expected a JSON config file, got ${kind}`], file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === 'ENOENT' ? 'no such file' : `expected a JSON config file, got ${unreadable(code)}`],
      file,
    );
  }
  return applyOverrides(parseJsonStrict(text.replace(/^\uFEFF/, ''), file), overrides, file);
}

/** The stages a config can use: the built-in plugins and those its `plugins` list names (their ports of `portKinds`, when given). */
export async function registryFor(
  raw: unknown,
  builtIn: readonly NamedPlugin[],
  file: string,
  portKinds?: ReadonlySet<string>,
): Promise<StageRegistry> {
  const listed = (raw as { plugins?: unknown })?.plugins;
  // a `plugins` value of the wrong shape is left to validation, which says so with its path
  const specifiers = Array.isArray(listed) && listed.every((p) => typeof p === 'string') ? (listed as string[]) : [];
  return registryOf([...builtIn, ...(await loadPlugins(specifiers, dirname(file), file, portKinds))], file);
}

/** Reads, parses, overrides, loads the config's plugins and validates: everything a run checks first. */
export async function loadPipeline(
  file: string,
  builtIn: readonly NamedPlugin[],
  overrides: string[] = [],
  portKinds?: ReadonlySet<string>,
): Promise<ValidatedPipeline> {
  const raw = readConfig(file, overrides);
  return validateConfig(raw, await registryFor(raw, builtIn, file, portKinds), file);
}
