import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';
import { parseOverride, stepText, type ParsedOverride, type PathStep } from './override-path.js';
import { parseJsonStrict } from './parse-json.js';
import { refusePrototypeKey } from './prototype-keys.js';
import { shapeOf } from './value-shape.js';

type Container = Record<string, unknown> | unknown[];

/**
 * Applies overrides to a copy of a raw config, as Hydra writes them: `path=value` sets
 * (`stages.train.params.epochs=3`), `path+=value` appends to a list, `~path` deletes. A path indexes
 * lists by position (`models.6.units`) or by an item's field (`models[name=origin-recipe].units`).
 * The value is read as JSON when it parses (numbers, booleans, arrays, objects), else taken as a
 * string. Missing objects below an existing stage are created; an unknown stage id is an error.
 */
export function applyOverrides(raw: unknown, overrides: string[], file?: string): unknown {
  // a config of `null` or `5` has nowhere to set a path in (writing one is a raw TypeError)
  if (overrides.length && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new ConfigError([`--set ${overrides[0]}: expected the config to be an object, got ${shapeOf(raw)}`], file);
  }
  const config = structuredClone(raw) as Record<string, unknown>;
  for (const override of overrides) {
    const fail = (message: string): never => {
      throw new ConfigError([`--set ${override}: ${message}`], file);
    };
    const parsed = parseOverride(override);
    if (typeof parsed === 'string') fail(parsed);
    const { steps, text, op } = parsed as ParsedOverride;
    for (const step of steps) {
      if (step.kind === 'key') refusePrototypeKey(step.key, `--set ${override}`, file);
      if (step.kind === 'match') refusePrototypeKey(step.field, `--set ${override}`, file);
    }
    checkStage(config, steps, fail);
    // JSON values go through the config's own parser, so they obey the same key rules;
    // anything else is a plain string such as a path or a column name
    const value = text === undefined ? undefined : isJson(text) ? parseJsonStrict(text, `--set ${override}`) : text;
    const { at: parent, where } = walk(config, steps.slice(0, -1), op !== 'delete', fail);
    const last = steps[steps.length - 1];
    if (op === 'set') setAt(parent, last, where, value, fail);
    else if (op === 'append') appendAt(parent, last, where, value, fail);
    else deleteAt(parent, last, where, { value, matchValue: text !== undefined }, fail);
  }
  return config;
}

/** `stages.<id>...` below a stage must name one that exists (with did-you-mean). */
function checkStage(config: Record<string, unknown>, steps: PathStep[], fail: (m: string) => never): void {
  const [head, id] = steps;
  if (steps.length <= 2 || head.kind !== 'key' || head.key !== 'stages' || id.kind !== 'key') return;
  const stages = (config.stages ?? {}) as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(stages, id.key))
    fail(`no stage "${id.key}"${didYouMean(id.key, Object.keys(stages))}`);
}

/** The container the path's steps lead to; missing object keys are created when `create`. */
function walk(
  config: Container,
  steps: PathStep[],
  create: boolean,
  fail: (m: string) => never,
): { at: Container; where: string } {
  let at: Container = config;
  let where = '';
  for (const step of steps) {
    const found = find(at, step, where, fail);
    let next = found.exists ? found.value : undefined;
    if (!found.exists && step.kind === 'key' && create) next = (at as Record<string, unknown>)[step.key] = {};
    if (!found.exists && next === undefined) fail(`no "${stepText(step)}" in ${where || 'the config'} to delete`);
    where = where ? `${where}.${stepText(step)}` : stepText(step);
    if (typeof next !== 'object' || next === null)
      fail(`"${where}" is not an object or a list (it is ${shapeOf(next)})`);
    at = next as Container;
  }
  return { at, where };
}

/** Where one step leads from a container: a key of an object, or an item of a list. */
function find(
  at: Container,
  step: PathStep,
  where: string,
  fail: (m: string) => never,
): { exists: boolean; value?: unknown; index?: number } {
  const name = where || 'the config';
  if (Array.isArray(at)) {
    if (step.kind === 'key')
      fail(
        `"${name}" is a list: index it by position (${name}.0) or by an item's field (${name}[name=...]), got "${step.key}"`,
      );
    const index = step.kind === 'index' ? step.index : matchIndex(at, step, name, fail);
    if (index >= at.length) fail(`"${name}" has ${at.length} items (0 to ${at.length - 1}), got ${index}`);
    return { exists: true, value: at[index], index };
  }
  if (step.kind !== 'key') fail(`"${name}" is not a list (it is ${shapeOf(at)}), got ${stepText(step)}`);
  const key = (step as { key: string }).key;
  const exists = Object.prototype.hasOwnProperty.call(at, key);
  return { exists, value: exists ? at[key] : undefined };
}

function matchIndex(list: unknown[], step: PathStep & { kind: 'match' }, name: string, fail: (m: string) => never) {
  const values = list.map((item) =>
    typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[step.field] : undefined,
  );
  const matches = values.flatMap((v, i) => (v !== undefined && String(v) === step.value ? [i] : []));
  if (matches.length > 1)
    fail(
      `"${name}" has ${matches.length} items with ${step.field} "${step.value}" (positions ${matches.join(', ')}), expected one: use a position or a field that tells them apart`,
    );
  const index = matches.length ? matches[0] : -1;
  if (index < 0) {
    const known = values.filter((v) => v !== undefined).map(String);
    fail(
      `"${name}" has no item with ${step.field} "${step.value}"${didYouMean(step.value, known)} (${known.length ? `${step.field}s: ${known.join(', ')}` : `no item has a ${step.field}`})`,
    );
  }
  return index;
}

function setAt(parent: Container, step: PathStep, where: string, value: unknown, fail: (m: string) => never): void {
  if (!Array.isArray(parent) && step.kind === 'key') {
    parent[step.key] = value;
    return;
  }
  const { index } = find(parent, step, where, fail);
  (parent as unknown[])[index!] = value;
}

function appendAt(parent: Container, step: PathStep, where: string, value: unknown, fail: (m: string) => never): void {
  const found = find(parent, step, where, fail);
  if (!found.exists && step.kind === 'key') (parent as Record<string, unknown>)[step.key] = [value];
  else if (Array.isArray(found.value)) found.value.push(value);
  else fail(`expected a list to append to at "${stepText(step)}", got ${shapeOf(found.value)}`);
}

function deleteAt(
  parent: Container,
  step: PathStep,
  where: string,
  { value, matchValue }: { value: unknown; matchValue: boolean },
  fail: (m: string) => never,
): void {
  const found = find(parent, step, where, fail);
  if (!found.exists) fail(`no "${stepText(step)}" in ${where || 'the config'} to delete`);
  if (matchValue && JSON.stringify(found.value) !== JSON.stringify(value))
    fail(
      `expected "${stepText(step)}" to be ${JSON.stringify(value)} to delete it, got ${JSON.stringify(found.value)}`,
    );
  if (Array.isArray(parent)) parent.splice(found.index!, 1);
  else delete parent[(step as { key: string }).key];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
