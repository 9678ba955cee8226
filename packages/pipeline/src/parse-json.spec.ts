import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './errors.js';
import { parseJsonStrict } from './parse-json.js';

describe('parseJsonStrict', () => {
  it('rejects duplicate stage ids, which JSON.parse would silently merge', () => {
    expect(() => parseJsonStrict('{"stages": {"a": {}, "a": {}}}', 'p.json')).toThrow(
      'p.json: stages.a: duplicate key "a"',
    );
  });

  it('says at which line and column the JSON breaks', () => {
    expect(() => parseJsonStrict('{\n  "name": "x",\n  "seed": 1,,\n}', 'p.json')).toThrow(
      'p.json: invalid JSON at line 3, column 13: expected a string, got ","',
    );
  });

  it('refuses numbers with leading zeros at their position, as JSON does', () => {
    expect(() => parseJsonStrict('{"seed": 01}', 'p.json')).toThrow(
      'p.json: invalid JSON at line 1, column 11: expected "," or "}", got "1"',
    );
    expect(() => parseJsonStrict('[-01]', 'p.json')).toThrow(ConfigError);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses %s as a key, where it would replace a prototype and vanish',
    (key) => {
      expect(() => parseJsonStrict(`{"stages": {"${key}": {"type": "x"}}}`, 'p.json')).toThrow(
        `p.json: stages.${key} (line 1): "${key}" is not allowed as a key (it would change an object's prototype)`,
      );
      expect(() => parseJsonStrict(`{"a": {"params": {"${key}": {"polluted": 1}}}}`)).toThrow(ConfigError);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses nesting deeper than 100 levels in one line instead of overflowing the stack', () => {
    expect(() => parseJsonStrict('['.repeat(100_000), 'p.json')).toThrow(
      'p.json: invalid JSON at line 1, column 101: expected at most 100 levels of nesting, got "["',
    );
    const deepest = '{"a":'.repeat(100) + '1' + '}'.repeat(100);
    expect(parseJsonStrict(deepest)).toEqual(JSON.parse(deepest));
  });

  it('parses what JSON.parse parses', () => {
    const text = '{"a": [1, -2.5e3, true, null, "q\\"s"], "b": {"c": {}}}';
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
  });
});
