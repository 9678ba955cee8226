import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';
import { parseJsonStrict } from './parse-json.js';
import { refusePrototypeKey } from './prototype-keys.js';
import { shapeOf } from './value-shape.js';

/**
 * Applies `path=value` overrides (`stages.train.params.epochs=3`) to a copy of a raw config. The
 * value is read as JSON when it parses (numbers, booleans, arrays), else taken as a string.
 * Missing objects below an existing stage are created; an unknown stage id is an error.
 */
export function applyOverrides(raw: unknown, overrides: string[], file?: string): unknown {
  // a config of `null` or `5` has nowhere to set a path in (writing one is a raw TypeError)
  if (overrides.length && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new ConfigError([`--set ${overrides[0]}: expected the config to be an object, got ${shapeOf(raw)}`], file);
  }
  const config = structuredClone(raw) as Record<string, unknown>;
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new ConfigError([`--set ${override}: expected path=value`], file);
    const path = override.slice(0, eq).split('.');
    for (const key of path) refusePrototypeKey(key, `--set ${override}`, file);
    const text = override.slice(eq + 1);
    // JSON values go through the config's own parser, so they obey the same key rules;
    // anything else is a plain string such as a path or a column name
    const value = isJson(text) ? parseJsonStrict(text, `--set ${override}`) : text;
    if (path[0] === 'stages' && path.length > 2) {
      const stages = (config.stages ?? {}) as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(stages, path[1])) {
        throw new ConfigError(
          [`--set ${override}: no stage "${path[1]}"${didYouMean(path[1], Object.keys(stages))}`],
          file,
        );
      }
    }
    let target = config as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (!Object.prototype.hasOwnProperty.call(target, key)) target[key] = {};
      if (typeof target[key] !== 'object' || target[key] === null || Array.isArray(target[key])) {
        throw new ConfigError([`--set ${override}: "${key}" is not an object`], file);
      }
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
  }
  return config;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
