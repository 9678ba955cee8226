/**
 * A small, fast, seedable generator (mulberry32). tfjs `fit` shuffles with Math.random, so runs
 * that must repeat draw their shuffles and initializer seeds from this instead.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound = 2 ** 31 - 1): number {
    return Math.floor(this.next() * bound);
  }

  /** 0..n-1 in a random order (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }
}
