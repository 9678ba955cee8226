import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';

/**
 * Applies `path=value` overrides (`stages.train.params.epochs=3`) to a copy of a raw config. The
 * value is read as JSON when it parses (numbers, booleans, arrays), else taken as a string.
 * Missing objects below an existing stage are created; an unknown stage id is an error.
 */
export function applyOverrides(raw: unknown, overrides: string[], file?: string): unknown {
  const config = structuredClone(raw) as Record<string, unknown>;
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new ConfigError([`--set ${override}: expected path=value`], file);
    const path = override.slice(0, eq).split('.');
    const text = override.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a plain string such as a path or a column name
    }
    if (path[0] === 'stages' && path.length > 2) {
      const stages = (config.stages ?? {}) as Record<string, unknown>;
      if (!(path[1] in stages)) {
        throw new ConfigError([`--set ${override}: no stage "${path[1]}"${didYouMean(path[1], Object.keys(stages))}`], file);
      }
    }
    let target = config as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (target[key] === undefined) target[key] = {};
      if (typeof target[key] !== 'object' || target[key] === null || Array.isArray(target[key])) {
        throw new ConfigError([`--set ${override}: "${key}" is not an object`], file);
      }
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
  }
  return config;
}
