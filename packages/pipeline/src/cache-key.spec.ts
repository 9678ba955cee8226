import { describe, expect, it } from '@jest/globals';
import { cacheKey, stageSeed } from './cache-key.js';
import { canonicalJson } from './canonical-json.js';

describe('cacheKey', () => {
  // Golden: changing how keys are computed invalidates every user's cache, so it must be deliberate.
  it('pins the key of a known stage', () => {
    const key = cacheKey({
      type: 'preprocess.minmax-scale',
      version: 1,
      params: { fitOn: 'train' },
      seed: 7,
      inputs: { train: 'abc:train' },
    });
    expect(key).toBe('12178036cd49494f48e1c71c669ee839b2850909332f21082088287894ee511b');
  });

  it('does not depend on key order', () => {
    const a = cacheKey({ type: 't.x', version: 1, params: { a: 1, b: { c: 2, d: 3 } }, seed: 1, inputs: {} });
    const b = cacheKey({ inputs: {}, seed: 1, params: { b: { d: 3, c: 2 }, a: 1 }, version: 1, type: 't.x' });
    expect(a).toBe(b);
  });

  it('changes with the version, params, seed, inputs and fingerprint', () => {
    const base = { type: 't.x', version: 1, params: { a: 1 }, seed: 1, inputs: { i: 'k:p' } };
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, version: 2 }),
      cacheKey({ ...base, params: { a: 2 } }),
      cacheKey({ ...base, seed: 2 }),
      cacheKey({ ...base, inputs: { i: 'k2:p' } }),
      cacheKey({ ...base, fingerprint: 'f' }),
    ]);
    expect(keys.size).toBe(6);
  });

  it('derives distinct stable seeds per stage', () => {
    expect(stageSeed(42, 'train')).toBe(stageSeed(42, 'train'));
    expect(stageSeed(42, 'train')).not.toBe(stageSeed(42, 'split'));
    expect(stageSeed(42, 'train')).not.toBe(stageSeed(43, 'train'));
  });

  it('writes canonical JSON with sorted keys and no undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe('{"a":[{"c":2}],"b":1}');
  });
});
