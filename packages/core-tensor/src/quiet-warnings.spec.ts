import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { selectBackend } from './backend.js';
import { muteTensorLibraryNoise } from './quiet-warnings.js';
import * as tf from './tf.js';

beforeAll(() => selectBackend('cpu'));

/** The LSTM's default recurrent initializer warns above 2000 elements: units 50 gives 50 x 200. */
const buildBigLstm = () => {
  const model = tf.sequential({ layers: [tf.layers.lstm({ units: 23, inputShape: [3, 1] })] });
  model.dispose();
};

describe('muteTensorLibraryNoise', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it("drops tfjs' initializer notice and passes other warnings through", () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const muted = muteTensorLibraryNoise();
    restore = () => {
      muted.restore();
      warn.mockRestore();
    };
    buildBigLstm();
    console.warn('a warning of our own');
    expect(muted.dropped()).toBe(1);
    expect(warn.mock.calls).toEqual([['a warning of our own']]);
  });

  it('lets the notice through when not muted (as with --verbose)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    restore = () => warn.mockRestore();
    buildBigLstm();
    expect(warn.mock.calls.some(([message]) => String(message).startsWith('Orthogonal initializer'))).toBe(true);
  });
});
