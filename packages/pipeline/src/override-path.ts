import { valueAt } from './value-shape.js';

/** One step of an override path: an object key, a list position, or the list item whose field has a value. */
export type PathStep =
  { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'match'; field: string; value: string };

/** What an override does at its path (Hydra's syntax): set `a.b=v`, append `a.b+=v`, delete `~a.b`. */
export interface ParsedOverride {
  op: 'set' | 'append' | 'delete';
  /** The path as written, for messages. */
  path: string;
  steps: PathStep[];
  /** The value's text; absent for a delete without `=value`. */
  text?: string;
}

/**
 * Reads `stages.backtest.params.models[name=origin-recipe].units=8`, `models.6.units=4`,
 * `models+={...}` and `~stages.load.params.features`. Dots and `=` inside brackets belong to the
 * name; a step that is all digits indexes a list. Returns a message instead when it cannot.
 */
export function parseOverride(override: string): ParsedOverride | string {
  const remove = override.startsWith('~');
  const body = remove ? override.slice(1) : override;
  const eq = indexOutsideBrackets(body, '=');
  if (!remove && eq <= 0) return 'expected path=value, path+=value or ~path';
  const append = !remove && body[eq - 1] === '+';
  const path = eq < 0 ? body : body.slice(0, append ? eq - 1 : eq);
  const steps = parseSteps(path);
  if (typeof steps === 'string') return steps;
  return {
    op: remove ? 'delete' : append ? 'append' : 'set',
    path,
    steps,
    ...(eq < 0 ? {} : { text: body.slice(eq + 1) }),
  };
}

function parseSteps(path: string): PathStep[] | string {
  if (!path) return 'expected a path before "="';
  const steps: PathStep[] = [];
  for (const part of splitOutsideBrackets(path)) {
    const bracket = /^([^[\]]*)\[([^=\]]+)=([^\]]*)\]$/.exec(part);
    if (bracket) {
      if (bracket[1]) steps.push({ kind: 'key', key: bracket[1] });
      steps.push({ kind: 'match', field: bracket[2], value: bracket[3] });
    } else if (part.includes('[') || part.includes(']')) {
      return `expected a list item as key[field=value], got "${part}"`;
    } else if (part === '') {
      return `expected a path of dot-separated keys, got "${path}"`;
    } else {
      steps.push(/^\d+$/.test(part) ? { kind: 'index', index: Number(part) } : { kind: 'key', key: part });
    }
  }
  return steps;
}

function indexOutsideBrackets(text: string, char: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') depth = Math.max(0, depth - 1);
    else if (text[i] === char && depth === 0) return i;
  }
  return -1;
}

function splitOutsideBrackets(path: string): string[] {
  const parts: string[] = [];
  let rest = path;
  for (let dot = indexOutsideBrackets(rest, '.'); dot >= 0; dot = indexOutsideBrackets(rest, '.')) {
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  parts.push(rest);
  return parts;
}

/** A step as a user wrote it: `models`, `6`, `[name=origin-recipe]`. */
export function stepText(step: PathStep): string {
  return step.kind === 'key' ? step.key : step.kind === 'index' ? String(step.index) : `[${step.field}=${step.value}]`;
}

/**
 * What a path of --set's syntax reads in a value (`models.5.units`, `models[name=origin-recipe].units`),
 * or undefined where it leads nowhere or cannot be read.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  const steps = parseSteps(path);
  if (typeof steps === 'string') return undefined;
  let at = root;
  for (const step of steps) {
    if (step.kind !== 'match') at = valueAt(at, [step.kind === 'key' ? step.key : step.index]);
    else
      at = Array.isArray(at)
        ? at.find((item) => typeof item === 'object' && item !== null && String(item[step.field]) === step.value)
        : undefined;
  }
  return at;
}
