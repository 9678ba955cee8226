import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from './seeded-random.js';

describe('SeededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new SeededRandom(1)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new SeededRandom(1)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new SeededRandom(2)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('permutes every index exactly once', () => {
    const order = [...new SeededRandom(7).permutation(100)];
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
