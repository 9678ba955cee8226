import { describe, expect, it } from '@jest/globals';
import { oneStepStage } from './one-step.stage.js';

const context = {
  stageId: 'naive',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};
const series = (values: number[], from = 0) => ({
  name: 'v',
  dates: values.map((_, i) => `2020-01-${String(i + 1 + from).padStart(2, '0')}`),
  values,
});

describe('forecast.one-step', () => {
  it('forecasts each actual value from the values before it, the model fitted on the history only', async () => {
    const history = series([1, 2, 4]);
    const actual = series([7, 11, 16], 3);
    const run = (model: unknown) =>
      oneStepStage.run({ history, actual }, oneStepStage.params.parse({ model }), context);
    expect(await run({ type: 'persistence' })).toEqual({ predicted: [4, 7, 11] });
    // drift from the first value: (4 - 1) / 2 = 1.5 per step, then (7 - 1) / 3 = 2, then (11 - 1) / 4 = 2.5
    expect(await run({ type: 'drift' })).toEqual({ predicted: [5.5, 9, 13.5] });
    expect(await run({ type: 'moving-average', window: 2 })).toEqual({ predicted: [3, 5.5, 9] });
  });
});
