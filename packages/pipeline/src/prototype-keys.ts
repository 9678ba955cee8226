import { ConfigError } from './errors.js';

/** Keys that reach an object's prototype when assigned or walked (`obj[key]`): never data. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a config or `--set` key that would write onto a prototype (`__proto__.polluted=1`) or
 * silently vanish from the parsed object, with one line naming where it came from.
 */
export function refusePrototypeKey(key: string, where: string, file?: string): void {
  if (PROTOTYPE_KEYS.has(key)) {
    throw new ConfigError([`${where}: "${key}" is not allowed as a key (it would change an object's prototype)`], file);
  }
}
