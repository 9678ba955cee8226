import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';

const DAY = 86_400_000;

/**
 * The Monday of a date's week, as YYYY-MM-DD, for any date the CSV loader reads ("2024-01-08",
 * "Jan 8 2024"); undefined for text that is not a date. Day numbers count from 1970-01-01 (a
 * Thursday); the 12 hours added keep a local midnight on its own day in any time zone.
 */
export function weekOf(date) {
  const time = Date.parse(date);
  if (Number.isNaN(time)) return undefined;
  const day = Math.floor((time + DAY / 2) / DAY);
  const monday = Math.floor((day + 3) / 7) * 7 - 3;
  return new Date(monday * DAY).toISOString().slice(0, 10);
}

/** The last value of each week (a weekly close), dated by that last trading day. */
export function weeklyCloses(dates, values) {
  const out = { dates: [], values: [] };
  const weeks = dates.map((date) => {
    const week = weekOf(date);
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (week === undefined) throw new DataError(`series: expected dates, got ${JSON.stringify(date)}`);
    return week;
  });
  for (let i = 0; i < dates.length; i++) {
    if (i + 1 < dates.length && weeks[i + 1] === weeks[i]) continue; // not the week's last day
    out.dates.push(dates[i]);
    out.values.push(values[i]);
  }
  return out;
}

export const weeklyClosesStage = defineStage({
  type: 'mine.weekly-closes', // "<your package>.<name>": bump `version` when the output would change
  version: 1,
  description: 'A daily series as weekly closes: the last value of each ISO week.',
  params: z.strictObject({
    minWeeks: z.number().int().min(1).default(52).describe('fewer weeks than this is an error'),
  }),
  inputs: { series: port(SERIES, { description: 'daily values in date order' }) },
  outputs: { series: port(SERIES, { description: 'one value per week' }) },
  async run(inputs, params, ctx) {
    const { name, dates, values } = inputs.series;
    const weekly = weeklyCloses(dates, values);
    if (weekly.values.length < params.minWeeks)
      throw new DataError(`series: expected at least ${params.minWeeks} weeks, got ${weekly.values.length}`);
    ctx.log(`${dates.length} days -> ${weekly.values.length} weeks`);
    return { series: { name: `${name} (weekly)`, ...weekly } };
  },
});
