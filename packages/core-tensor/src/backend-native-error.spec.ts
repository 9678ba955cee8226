import { describe, expect, it, jest } from '@jest/globals';

// @tensorflow/tfjs-node installed but broken (its libtensorflow missing, built for another Node): the
// real error is what a user needs to fix it, not "not installed"
const BROKEN = 'libtensorflow.so.2: cannot open shared object file: No such file or directory';
jest.unstable_mockModule(
  '@tensorflow/tfjs-node',
  () => {
    throw new Error(`${BROKEN}\n    at more detail on a second line`);
  },
  { virtual: true },
);
const { selectBackend } = await import('./backend.js');

describe('selectBackend when @tensorflow/tfjs-node is installed but does not load', () => {
  it('falls back and says why in the skipped line: the load error, first line only', async () => {
    const choice = await selectBackend();
    expect(choice.backend).not.toBe('tensorflow');
    expect(choice.skipped[0]).toBe(`tensorflow: @tensorflow/tfjs-node did not load: ${BROKEN}`);
  });

  it('forced, fails with that error in the message and as the cause (--verbose prints its stack)', async () => {
    const forced = selectBackend('tensorflow');
    await expect(forced).rejects.toThrow(
      `backend "tensorflow" is not available: @tensorflow/tfjs-node did not load: ${BROKEN}`,
    );
    const error = (await forced.catch((e: unknown) => e)) as Error;
    expect((error.cause as Error).message).toContain(BROKEN);
  });
});
