import { afterEach, describe, expect, it } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { SeededRandom, UserInputError } from '@stagegraph/pipeline';
import { selectBackend } from './backend.js';
import * as tf from './tf.js';
import { requestedThreads, wasmThreadsInUse } from './wasm-threads.js';

const random = new SeededRandom(5);
const x = Float32Array.from({ length: 4 * 12 * 12 * 8 }, () => random.next() - 0.5);
const filter = Float32Array.from({ length: 3 * 3 * 8 * 16 }, () => random.next() - 0.5);
const convolve = () =>
  tf.tidy(() => tf.conv2d(tf.tensor4d(x, [4, 12, 12, 8]), tf.tensor4d(filter, [3, 3, 8, 16]), 1, 'same').dataSync());

afterEach(() => {
  delete process.env['STAGEGRAPH_THREADS'];
});

describe('wasm threads', () => {
  it('runs the threaded build on the threads asked for, and gives the single-threaded results', async () => {
    const two = await selectBackend('wasm', { threads: 2 });
    expect(two).toMatchObject({ backend: 'wasm', threads: 2 });
    expect(two.threadsNotice).toBeUndefined();
    expect(wasmThreadsInUse()).toBe(2); // XNNPACK's pool, as the wasm module reports it
    const threaded = convolve();

    const one = await selectBackend('wasm', { threads: 1 });
    expect(one.threads).toBe(1);
    expect(wasmThreadsInUse()).toBe(1);
    expect(Array.from(convolve())).toEqual(Array.from(threaded));
  });

  it('takes the count from STAGEGRAPH_THREADS when the caller gives none, else every core, or one for small-op work', async () => {
    process.env['STAGEGRAPH_THREADS'] = '2';
    expect((await selectBackend('wasm')).threads).toBe(2);
    expect(requestedThreads(undefined, false)).toBe(2); // the user's count wins over the work's kind
    process.env['STAGEGRAPH_THREADS'] = '1';
    expect((await selectBackend('wasm')).threads).toBe(1);
    delete process.env['STAGEGRAPH_THREADS'];
    expect(requestedThreads()).toBe(availableParallelism());
    expect(requestedThreads(undefined, false)).toBe(1);
    expect((await selectBackend('wasm', { parallelWork: false })).threads).toBe(1);
  });

  it('refuses a count that is not a whole number of threads, naming where it came from', async () => {
    process.env['STAGEGRAPH_THREADS'] = 'many';
    await expect(selectBackend('wasm')).rejects.toThrow(
      new UserInputError('STAGEGRAPH_THREADS: expected a whole number of threads, 1 or more, got "many"'),
    );
    await expect(selectBackend()).rejects.toBeInstanceOf(UserInputError); // not skipped as if wasm were missing
    delete process.env['STAGEGRAPH_THREADS'];
    await expect(selectBackend('wasm', { threads: 0 })).rejects.toThrow(
      'threads: expected a whole number of threads, 1 or more, got 0',
    );
  });
});
