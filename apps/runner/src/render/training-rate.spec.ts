import { describe, expect, it } from '@jest/globals';
import { TrainingRate } from './training-rate.js';

describe('TrainingRate', () => {
  it('gives samples/s and the time left from batch progress, counting from the first batch seen', () => {
    const rate = new TrainingRate();
    rate.update({ epoch: 1, epochs: 2, batch: 1, batches: 10, batchSize: 32 }, 5_000); // after 5 s of loading
    expect(rate.describe(5_000)).toBe('');
    rate.update({ epoch: 1, epochs: 2, batch: 5, batches: 10, batchSize: 32 }, 5_400); // 4 batches in 400 ms
    expect(rate.describe(5_400)).toBe('320 samples/s, ETA 1.5s'); // 15 batches left at 10 per second
    rate.update({ epoch: 1, epochs: 2, loss: 0.1, valLoss: 0.2 }, 5_900); // the epoch's end: 10 batches done
    expect(rate.describe(5_900)).toBe('320 samples/s, ETA 1.0s');
  });

  it('says nothing for progress without batches (a stage that is not training)', () => {
    const rate = new TrainingRate();
    rate.update({ message: 'reading' }, 0);
    rate.update({ message: 'still reading' }, 1000);
    expect(rate.describe(1000)).toBe('');
  });
});
