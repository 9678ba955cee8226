import { describe, expect, it } from '@jest/globals';
import type { RunEntry } from '../runs/run-index.js';
import { comparePage } from './runs-pages.js';

const backtestRun = (id: string, rmse: number) =>
  ({
    id,
    pipeline: 'stock-forecast',
    params: { 'stages.backtest.params.step': 10 },
    metrics: { origins: 24, best: 'ridge-ar-5', models: { 'ridge-ar-5': { rmse, rmseRatio: rmse / 2 } } },
  }) as unknown as RunEntry;

describe('comparePage', () => {
  it("shows a backtest's nested scores by their paths, as runs compare does", () => {
    const page = comparePage([backtestRun('a', 1.5), backtestRun('b', 1.25)], [{}, {}]);
    expect(page).toMatch(
      /<th>models\.ridge-ar-5\.rmse<\/th><td class="num">1\.500?0?<\/td><td class="num">1\.250?0?<\/td>/,
    );
    expect(page).toContain('<th>origins</th>');
    expect(page).not.toContain('<th>best</th>'); // a string, not a score
  });
});
