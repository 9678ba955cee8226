import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { parseJsonStrict } from './parse-json.js';
import { notAFile, unreadable } from './read-data-file.js';
import { applyOverrides } from './overrides.js';
import type { StageRegistry } from './stage-registry.js';
import { validateConfig, type ValidatedPipeline } from './validate-config.js';

/** Reads, parses, overrides (`--set path=value`) and validates a config file. */
export function loadPipeline(file: string, registry: StageRegistry, overrides: string[] = []): ValidatedPipeline {
  let text: string;
  try {
    const kind = notAFile(statSync(file)); // a FIFO would block forever
    if (kind) throw new ConfigError([`expected a JSON config file, got ${kind}`], file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([code === 'ENOENT' ? 'no such file' : `expected a JSON config file, got ${unreadable(code)}`], file);
  }
  const raw = parseJsonStrict(text.replace(/^\uFEFF/, ''), file);
  return validateConfig(applyOverrides(raw, overrides, file), registry, file);
}
