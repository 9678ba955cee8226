import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';

/**
 * A table of rows held column by column in typed arrays (a few million rows stay a few typed arrays,
 * never one JS object per row). Missing values: NaN in number and date columns, -1 in category codes,
 * 255 in boolean columns.
 */
const columnBase = {
  name: z.string().min(1),
  /** How many rows have no value. */
  missing: z.number().int().nonnegative(),
  /** How many distinct values the column holds in the file (before any top-k folding). */
  distinct: z.number().int().nonnegative(),
};

const numberColumn = z.object({ ...columnBase, type: z.literal('number'), values: z.instanceof(Float64Array) });
/** Epoch milliseconds (UTC). */
const dateColumn = z.object({ ...columnBase, type: z.literal('date'), values: z.instanceof(Float64Array) });
/** 0 or 1, 255 where missing. */
const booleanColumn = z.object({ ...columnBase, type: z.literal('boolean'), values: z.instanceof(Uint8Array) });
/** Codes index `categories`; a column with more distinct values than kept folds the rest into an "other" category. */
const categoryColumn = z.object({
  ...columnBase,
  type: z.literal('category'),
  codes: z.instanceof(Int32Array),
  categories: z.array(z.string()),
  /** The code of the category that stands for the values folded away, if any were. */
  otherCode: z.number().int().optional(),
});

export const tableColumn = z.discriminatedUnion('type', [numberColumn, dateColumn, booleanColumn, categoryColumn]);
export type TableColumn = z.output<typeof tableColumn>;
export type TableColumnType = TableColumn['type'];

/** The length of a column's typed array: one entry per row. */
export const columnLength = (column: TableColumn): number =>
  column.type === 'category' ? column.codes.length : column.values.length;

export const TABLE = defineContract({
  name: 'table',
  kind: 'table',
  schema: z
    .object({
      rows: z.number().int().nonnegative(),
      /** The column to predict, one of `columns`. */
      label: z.string().optional(),
      columns: z.array(tableColumn),
      /** Columns left out of `columns`, each with why (an identifier, all missing, one value, dropped by the config). */
      dropped: z.array(z.object({ name: z.string(), reason: z.string() })),
      source: z.object({
        file: z.string(),
        /** Rows the file (after `where`) held, before rows without a label were dropped. */
        rowsRead: z.number().int().nonnegative(),
        labelMissing: z.number().int().nonnegative(),
      }),
    })
    .superRefine((table, ctx) => {
      const short = table.columns.find((column) => columnLength(column) !== table.rows);
      if (short)
        ctx.addIssue({
          code: 'custom',
          message: `expected column "${short.name}" to hold one value per row (${table.rows}), got ${columnLength(short)}`,
        });
      const names = table.columns.map((column) => column.name);
      const twice = names.find((name, i) => names.indexOf(name) !== i);
      if (twice) ctx.addIssue({ code: 'custom', message: `expected column names once each, got "${twice}" twice` });
      if (table.label !== undefined && !names.includes(table.label))
        ctx.addIssue({ code: 'custom', message: `expected the label "${table.label}" among the columns, got none` });
    }),
  expected: 'a table {rows, columns, dropped, source} of typed-array columns',
});
export type Table = ContractValue<typeof TABLE>;
