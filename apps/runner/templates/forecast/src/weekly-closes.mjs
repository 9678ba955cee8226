import { DataError, defineStage, port, SERIES } from '@stagegraph/pipeline';
import { z } from 'zod';

/** The Monday of a YYYY-MM-DD date's ISO week, as YYYY-MM-DD. */
export function weekOf(date) {
  const day = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** The last value of each week (a weekly close), dated by that last trading day. */
export function weeklyCloses(dates, values) {
  const out = { dates: [], values: [] };
  for (let i = 0; i < dates.length; i++) {
    if (i + 1 < dates.length && weekOf(dates[i + 1]) === weekOf(dates[i])) continue; // not the week's last day
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
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (weekly.values.length < params.minWeeks) throw new DataError(`series: expected at least ${params.minWeeks} weeks, got ${weekly.values.length}`);
    ctx.log(`${dates.length} days -> ${weekly.values.length} weeks`);
    return { series: { name: `${name} (weekly)`, ...weekly } };
  },
});
