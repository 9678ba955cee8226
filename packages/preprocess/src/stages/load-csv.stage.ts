import { defineStage, port, readDataFile, sha256 } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { loadPriceSeries } from '../load-price-series.js';
import { resolveDataPath } from '../resolve-data-path.js';

const params = z.strictObject({
  path: z.string().min(1).describe('CSV file, relative to the working directory, or package:<npm package>/<file>'),
  column: z.string().min(1).default('Close').describe('the price column'),
  dateColumn: z.string().min(1).default('Date').describe('the date column; rows are sorted by it'),
  invalid: z
    .enum(['drop', 'fail'])
    .default('drop')
    .describe('rows with an empty or non-numeric price: drop and report them, or fail'),
  where: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('keep only rows whose columns hold these values, for long-format files: {"symbol": "MSFT"}'),
  features: z
    .array(z.string().min(1))
    .max(64)
    .optional()
    .describe(
      'other numeric columns carried as the series\' features, for models that read them: ["high", "low", "volume"]',
    ),
});

export const loadCsvStage = defineStage({
  type: 'preprocess.load-csv',
  version: 3, // 2: where; 3: features
  description:
    'Loads a dated price column (and any feature columns) from a CSV file, sorted by date; `where` picks one series of a long-format file.',
  params,
  inputs: {},
  outputs: { series: port(SERIES) },
  // The file's content is part of the cache key: editing the CSV re-runs everything downstream.
  async fingerprint(p, ctx) {
    return sha256(await readDataFile(resolveDataPath(p.path, ctx.workDir), 'a readable CSV file', p.path));
  },
  async run(_inputs, p, ctx) {
    const { series, dropped } = await loadPriceSeries(resolveDataPath(p.path, ctx.workDir), p, p.path);
    if (dropped.length > 0) {
      const examples = dropped
        .slice(0, 3)
        .map((d) => `line ${d.line}: "${d.value}"`)
        .join(', ');
      const columns = [...new Set(dropped.map((d) => d.column))].join(' or '); // a feature's, not only the price's
      ctx.log(
        `dropped ${dropped.length} rows with no numeric ${columns} (${examples}${dropped.length > 3 ? ', ...' : ''})`,
      );
    }
    ctx.log(`${series.values.length} rows, ${series.dates[0]} .. ${series.dates[series.dates.length - 1]}`);
    return { series };
  },
});
