import { describe, expect, it } from '@jest/globals';
import type { ModelComparison } from '@stagegraph/contracts';
import type { StageContext } from '@stagegraph/pipeline';
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

describe('forecast.backtest minOrigins', () => {
  const values = Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 2) + i / 4);
  const series = {
    name: 'monthly',
    values,
    dates: values.map((_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`),
  };
  const run = async (extra: Record<string, unknown>) => {
    const lines: string[] = [];
    const params = backtestStage.params.parse({ models: [{ type: 'drift' }], step: 10, ...extra });
    const context = {
      stageId: 'backtest',
      seed: 1,
      signal: new AbortController().signal,
      log: (l: string) => lines.push(l),
      progress: () => undefined,
    } as unknown as StageContext;
    const { comparison } = (await backtestStage.run({ series }, params, context)) as { comparison: ModelComparison };
    return { origins: comparison.origins, lines };
  };

  it('refuses a start with fewer than 2 values before it, or none after, naming the param (the scores scale by in-sample changes)', async () => {
    for (const start of ['2010-02-01', '2099-01-01'])
      await expect(run({ start })).rejects.toThrow(
        `backtest.params.start: expected an origin with at least 2 values before it and 1 after, got "${start}" (the series runs 2010-01-01 to 2019-12-01, 120 values)`,
      );
  });

  it('shortens the step on a short series, and says so', async () => {
    expect((await run({})).origins).toBe(3);
    const shortened = await run({ minOrigins: 20 });
    expect(shortened.origins).toBe(24);
    expect(shortened.lines).toContain('step 10 gives 3 origins on this series; step 1 instead (minOrigins 20)');
    const tooShort = await run({ minOrigins: 30 });
    expect(tooShort.origins).toBe(24);
    expect(tooShort.lines).toContain(
      'step 10 gives 3 origins on this series; step 1 instead: 24 origins, the series is too short for minOrigins 30',
    );
  });
});
