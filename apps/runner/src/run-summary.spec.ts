import { describe, expect, it } from '@jest/globals';
import { runSummary } from './run-summary.js';

const stages = [{ id: 'backtest', cached: false }] as Parameters<typeof runSummary>[0]['stages'];
const backtest = {
  origins: 103,
  best: 'persistence',
  verdict: 'Persistence had the lowest RMSE: no model beat the naive forecast.',
  models: { persistence: { rmse: 27.67, rmseRatio: 1 }, lstm: { rmse: 33.2, rmseRatio: 1.2 } },
};

describe('runSummary', () => {
  it("names a backtest's headline (the best model's score) and its verdict", () => {
    const text = runSummary({ dir: 'runs/x', metrics: backtest, stages }, 1500, 'wasm');
    expect(text).toBe(
      [
        'finished in 1.5s on wasm: 1 stages computed, 0 from cache',
        'metrics: origins=103',
        'headline: models.persistence.rmse=27.67',
        `verdict: ${backtest.verdict}`,
        'output: runs/x',
        '',
      ].join('\n'),
    );
  });

  it("takes the config's headline, and adds no line when the headline is a top-level metric", () => {
    const named = runSummary({ dir: 'runs/x', metrics: backtest, stages }, 10, undefined, 'models.lstm.rmseRatio');
    expect(named).toContain('headline: models.lstm.rmseRatio=1.200\n');
    const flat = runSummary({ dir: 'runs/y', metrics: { accuracy: 0.9 }, stages }, 10);
    expect(flat).toContain('metrics: accuracy=0.9000\n');
    expect(flat).not.toContain('headline');
  });
});
