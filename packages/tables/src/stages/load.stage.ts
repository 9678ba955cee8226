import { TABLE } from '@stagegraph/contracts';
import { defineStage, locatedPath, port, resolveDataPath } from '@stagegraph/pipeline';
import { z } from 'zod';
import { hashFile } from '../read/file-hash.js';
import { columnsOption, whereOption } from '../read/table-options.js';

const params = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      'CSV, TSV, JSON (array of records), JSON Lines, Parquet or Arrow IPC file (told by its content), relative to the working directory, or package:<npm package>/<file>',
    ),
  label: z.string().min(1).describe('the column to predict; rows without a value in it are dropped and counted'),
  columns: columnsOption
    .optional()
    .describe('keep or drop columns, and force types: {"drop": ["id"], "types": {"Year": "category"}}'),
  where: whereOption
    .optional()
    .describe('keep only rows whose columns hold these values, as load-csv: {"symbol": "MSFT"}'),
  query: z
    .string()
    .min(1)
    .optional()
    .describe('SQL over the file, which it names "data": SELECT * FROM data WHERE year > 2000'),
  maxCategories: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('a category column keeps its most frequent values, this many, and folds the rest into "other"'),
});

export const loadTableStage = defineStage({
  type: 'tables.load',
  version: 1,
  description:
    'Reads a table (CSV, TSV, JSON, JSON Lines, Parquet or Arrow) through DuckDB into typed columns: types inferred (number, category, boolean, date), identifiers and constant columns dropped with why, rows without a label dropped and counted.',
  params,
  inputs: {},
  outputs: { table: port(TABLE) },
  // The file's content is part of the cache key: editing the table re-runs everything downstream.
  async fingerprint(p, ctx) {
    const file = resolveDataPath(p.path, ctx.workDir, import.meta.url);
    return hashFile(file, locatedPath(p.path, file, ctx.workDir));
  },
  // The file opens, and names what the params name (the label, columns, where's keys and values):
  // read as a view, the header and what those need only. A query's columns are checked when it runs.
  async check(p, ctx) {
    const { checkTableFile } = await import('../read/check-table.js');
    const file = resolveDataPath(p.path, ctx.workDir, import.meta.url);
    const named = (key: string, names: string[] = []) =>
      names.map((name, i): [string, string] => [`${key}.${i}`, name]);
    const columns: [string, string][] =
      p.query === undefined
        ? [
            ['label', p.label],
            ...named('columns.keep', p.columns?.keep),
            ...named('columns.drop', p.columns?.drop),
            ...Object.keys(p.columns?.types ?? {}).map((name): [string, string] => [`columns.types.${name}`, name]),
          ]
        : [];
    const located = locatedPath(p.path, file, ctx.workDir);
    return checkTableFile({ file, located, paramsPath: ctx.paramsPath, columns, where: p.query ? undefined : p.where });
  },
  async run(_inputs, p, ctx) {
    const { readTable } = await import('../read/read-table.js');
    const file = resolveDataPath(p.path, ctx.workDir, import.meta.url);
    const table = await readTable({
      file,
      shownAs: p.path,
      located: locatedPath(p.path, file, ctx.workDir),
      label: p.label,
      columns: p.columns,
      where: p.where,
      query: p.query,
      maxCategories: p.maxCategories,
      log: (line) => ctx.log(line),
    });
    const { rowsRead, labelMissing } = table.source;
    ctx.log(
      `${table.rows} rows, ${table.columns.length} columns` +
        (labelMissing > 0 ? ` (${labelMissing} of ${rowsRead} rows had no ${p.label} and were dropped)` : '') +
        (table.dropped.length > 0 ? `; dropped ${table.dropped.map((d) => d.name).join(', ')}` : ''),
    );
    return { table };
  },
});
