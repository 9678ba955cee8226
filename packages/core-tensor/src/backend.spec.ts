import { describe, expect, it } from '@jest/globals';
import { currentBackend, selectBackend } from './backend.js';

describe('selectBackend', () => {
  it('falls back past native TensorFlow when it is not installed, and says why', async () => {
    const choice = await selectBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(choice.backend);
    if (choice.backend !== 'tensorflow')
      expect(choice.skipped[0]).toBe('tensorflow: @tensorflow/tfjs-node is not installed');
    expect(currentBackend()).toBe(choice.backend);
  });

  it('uses a forced backend', async () => {
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
  });
});
