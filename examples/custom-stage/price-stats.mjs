// A StageGraph plugin in one file: a module whose `stages` export lists defineStage(...) results.
// A config names it in "plugins" (a path relative to the config, or a package name).
import { DataError, defineContract, defineStage, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';

export const meta = { name: 'price-stats', version: '1.0.0' };

/**
 * What this stage gives: a contract of its own, one zod schema that is both the check on every
 * value the stage emits and (in TypeScript) the type of those values; `validate` names it.
 */
export const PRICE_STATS = defineContract({
  name: 'price statistics',
  kind: 'metrics',
  schema: z.object({ totalReturn: z.number(), annualVolatility: z.number(), maxDrawdown: z.number() }),
  expected: 'price statistics {totalReturn, annualVolatility, maxDrawdown}',
});

/** Total return, annualised volatility and the worst peak-to-trough fall of a price series. */
export function priceStats(values, tradingDays) {
  const returns = values.slice(1).map((v, i) => Math.log(v / values[i]));
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  let peak = values[0];
  let maxDrawdown = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    maxDrawdown = Math.max(maxDrawdown, 1 - v / peak);
  }
  return {
    totalReturn: values.at(-1) / values[0] - 1,
    annualVolatility: Math.sqrt(variance * tradingDays),
    maxDrawdown,
  };
}

export const priceStatsStage = defineStage({
  type: 'example.price-stats',
  version: 2,
  description: 'Total return, annualised volatility and maximum drawdown of a price series.',
  params: z.strictObject({
    tradingDays: z.number().int().min(1).default(252).describe('trading days in a year, to annualise the volatility'),
  }),
  // SERIES (@stagegraph/contracts) is the contract of {name, dates, values}: wiring anything else here fails validate
  inputs: { series: port(SERIES, { description: 'prices in date order' }) },
  outputs: { stats: port(PRICE_STATS) },
  async run(inputs, params, ctx) {
    const { values } = inputs.series;
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (values.length < 3) throw new DataError(`series: expected at least 3 prices, got ${values.length}`);
    ctx.log(`${values.length} prices`);
    return { stats: priceStats(values, params.tradingDays) };
  },
});

export const stages = [priceStatsStage];
