import { describe, expect, it } from '@jest/globals';
import { backtestStage } from './backtest.stage.js';

const issues = (start: unknown) =>
  backtestStage.params
    .safeParse({ models: [{ type: 'drift' }], start })
    .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('forecast.backtest params', () => {
  it('takes a fraction or a day that exists as start', () => {
    expect(issues(0.8)).toEqual([]);
    expect(issues('2020-02-29')).toEqual([]);
  });

  it.each(['2020-13-45', '2021-02-29', '2020-00-10', 'tomorrow'])('refuses start %s, naming the field', (start) => {
    expect(issues(start)).toEqual([
      `start: expected a fraction such as 0.8 or a day that exists as YYYY-MM-DD, got "${start}"`,
    ]);
  });
});
