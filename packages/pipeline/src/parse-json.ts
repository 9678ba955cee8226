import { ConfigError } from './errors.js';
import { refusePrototypeKey } from './prototype-keys.js';

/** Deeper configs are refused in one line rather than overflowing the stack. */
const MAX_DEPTH = 100;

/**
 * A strict JSON parser that says where it failed (line and column) and rejects duplicate object
 * keys, which JSON.parse would silently collapse (two stages with one id would lose one).
 */
export function parseJsonStrict(text: string, file = '<config>'): unknown {
  let pos = 0;
  const lineAt = (at: number) => text.slice(0, at).split('\n').length;
  const fail = (what: string): never => {
    const before = text.slice(0, pos).split('\n');
    const found = pos >= text.length ? 'end of input' : JSON.stringify(text[pos]);
    throw new ConfigError([`invalid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: expected ${what}, got ${found}`], file);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[pos] !== char) fail(`"${char}"`);
    pos++;
  };
  const parseString = (): string => {
    if (text[pos] !== '"') fail('a string');
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('a closing quote');
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      pos = start;
      return fail('a valid string');
    }
  };
  const parseValue = (path: string, depth: number): unknown => {
    skipSpace();
    const char = text[pos];
    // a config is a few levels deep; 10,000 brackets would overflow the stack instead of saying so
    if (depth >= MAX_DEPTH && (char === '{' || char === '[')) fail(`at most ${MAX_DEPTH} levels of nesting`);
    if (char === '{') {
      pos++;
      const result: Record<string, unknown> = {};
      skipSpace();
      if (text[pos] === '}') return (pos++, result);
      for (;;) {
        skipSpace();
        const keyStart = pos;
        const key = parseString();
        refusePrototypeKey(key, `${path ? path + '.' : ''}${key} (line ${lineAt(keyStart)})`, file);
        if (Object.prototype.hasOwnProperty.call(result, key)) {
          pos = keyStart;
          throw new ConfigError([`${path ? path + '.' : ''}${key}: duplicate key "${key}"`], file);
        }
        expect(':');
        result[key] = parseValue(path ? `${path}.${key}` : key, depth + 1);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return (pos++, result);
        else fail('"," or "}"');
      }
    }
    if (char === '[') {
      pos++;
      const result: unknown[] = [];
      skipSpace();
      if (text[pos] === ']') return (pos++, result);
      for (;;) {
        result.push(parseValue(`${path}[${result.length}]`, depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return (pos++, result);
        else fail('"," or "]"');
      }
    }
    if (char === '"') return parseString();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 64));
    if (!literal) return fail('a JSON value');
    pos += literal[0].length;
    return JSON.parse(literal[0]);
  };
  const value = parseValue('', 0);
  skipSpace();
  if (pos < text.length) fail('end of input');
  return value;
}
