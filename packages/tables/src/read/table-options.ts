import { z } from 'zod';

/** The column types a table holds (TABLE's), which `columns.types` can force. */
export const COLUMN_TYPES = ['number', 'category', 'boolean', 'date'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const columnsOption = z
  .strictObject({
    keep: z.array(z.string().min(1)).min(1).optional().describe('read only these columns (the label is always read)'),
    drop: z.array(z.string().min(1)).optional().describe('leave these columns out'),
    types: z
      .record(z.string().min(1), z.enum(COLUMN_TYPES))
      .optional()
      .describe('force a column\'s type instead of inferring it: {"Year": "category"}'),
  })
  .refine((columns) => !(columns.keep && columns.drop), { message: 'give keep or drop, not both' });
export type ColumnsOption = z.output<typeof columnsOption>;

/** As load-csv's `where`: keep only rows whose columns hold these values. */
export const whereOption = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));
export type WhereOption = z.output<typeof whereOption>;

export interface ReadTableOptions {
  /** The file to read (already resolved). */
  file: string;
  /** How errors name the file (the config's path); the file itself by default. */
  shownAs?: string;
  /** How errors about the file itself (missing, of another format) name it: with where it resolved; `shownAs` by default. */
  located?: string;
  /** How errors name the params (`stages.load.params`); `params` by default. */
  paramsName?: string;
  label: string;
  columns?: ColumnsOption;
  where?: WhereOption;
  /** SQL over the file, which it names `data`. */
  query?: string;
  /** Category columns keep this many most frequent values and fold the rest into an "other" category. */
  maxCategories?: number;
  /**
   * Rows to predict (`stagegraph predict`): the label may be absent or missing (no row is dropped for
   * it), no column is dropped for holding one value, no values or looking like an identifier (a
   * five-row file has such columns), no category is folded, and `columns.types` may name columns the
   * file lacks (the preparation's types; the preparation names what is missing).
   */
  forPrediction?: boolean;
  /** One line per column (type, missing, distinct) and per dropped column. */
  log?: (line: string) => void;
}
