import { defineStage, locatedPath, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { resolveDataPath } from '../resolve-data-path.js';

const params = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      'CSV, TSV, JSON (array of records), JSON Lines, Parquet or Arrow file (told by its content), relative to the working directory, or package:<npm package>/<file>',
    ),
  column: z.string().min(1).default('Close').describe('the value column (a price, a rate, a temperature)'),
  dateColumn: z.string().min(1).default('Date').describe('the date column; rows are sorted by it'),
  invalid: z
    .enum(['drop', 'fail'])
    .default('drop')
    .describe('rows with an empty or non-numeric value: drop and report them, or fail'),
  where: z
    .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('keep only rows whose columns hold these values, for long-format files: {"symbol": "MSFT"}'),
  features: z
    .union([z.literal('all'), z.array(z.string().min(1)).max(64)])
    .optional()
    .describe(
      'other numeric columns carried as the series\' features, for models that read them: ["high", "low", "volume"], or "all" (every other column with a number in each row)',
    ),
});

type LoadParams = z.output<typeof params>;

/** One line on the rows dropped: how many, for which column, the first few. */
function droppedLine(dropped: { at: string; column: string; value: string }[]): string {
  const examples = dropped
    .slice(0, 3)
    .map((d) => `${d.at}: "${d.value}"`)
    .join(', ');
  const columns = [...new Set(dropped.map((d) => d.column))].join(' or '); // a feature's, not only the price's
  return `dropped ${dropped.length} rows with no numeric ${columns} (${examples}${dropped.length > 3 ? ', ...' : ''})`;
}

/** Names on one line: a wide file's first few, and how many more. */
const listed = (names: string[], shown = 8) =>
  names.slice(0, shown).join(', ') + (names.length > shown ? ` and ${names.length - shown} more` : '');

/** One line on what `features: "all"` carries and leaves out. */
function featuresLine(p: LoadParams, features: string[], leftOut: { column: string; reason: string }[]): string {
  const carried = features.length ? `features ${listed(features)}` : 'no features';
  const left = leftOut.map((l) => `${l.column} (${l.reason})`).join(', ');
  return `${carried}${p.features === 'all' ? ' (all numeric columns)' : ''}${left ? `; left out ${left}` : ''}`;
}

export const loadCsvStage = defineStage({
  type: 'preprocess.load-csv',
  version: 4, // 2: where; 3: features; 4: any table format, read through @stagegraph/tables; features "all"
  description:
    'Loads a dated numeric column (and any feature columns) from a CSV, TSV, JSON, JSON Lines, Parquet or Arrow file, sorted by date; `where` picks one series of a long-format file.',
  params,
  inputs: {},
  outputs: { series: port(SERIES) },
  // The file's content is part of the cache key: editing the file re-runs everything downstream.
  async fingerprint(p, ctx) {
    const { hashFile } = await import('../load-price-series.js');
    const file = resolveDataPath(p.path, ctx.workDir);
    return hashFile(file, locatedPath(p.path, file, ctx.workDir));
  },
  // The file opens and names the columns and where's values; its first rows hold dates and numbers.
  async check(p, ctx) {
    const { checkSeriesFile } = await import('../check-series-file.js');
    return checkSeriesFile(p, ctx.workDir, ctx.paramsPath);
  },
  async run(_inputs, p, ctx) {
    // the reader (DuckDB) loads when a series is read, not with the stage definitions
    const { loadPriceSeries } = await import('../load-price-series.js');
    const file = resolveDataPath(p.path, ctx.workDir);
    const options = { ...p, located: locatedPath(p.path, file, ctx.workDir) };
    const { series, dropped, format, leftOut } = await loadPriceSeries(file, options, p.path);
    if (dropped.length > 0) ctx.log(droppedLine(dropped));
    if (p.features !== undefined) ctx.log(featuresLine(p, Object.keys(series.features ?? {}), leftOut));
    ctx.log(`${series.values.length} rows (${format}), ${series.dates[0]} .. ${series.dates[series.dates.length - 1]}`);
    return { series };
  },
});
