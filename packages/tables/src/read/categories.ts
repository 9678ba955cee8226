import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from './sql.js';

export interface CategoryCodes {
  /** The temporary table of (v, code) the column's values join to. */
  table: string;
  categories: string[];
  otherCode?: number;
}

/** The name of the category that stands for the folded values: "(other)", or with a number if a value has that name. */
function otherName(kept: string[]): string {
  let name = '(other)';
  for (let i = 2; kept.includes(name); i++) name = `(other ${i})`;
  return name;
}

/**
 * The `limit` most frequent values of a column (ties by value), coded 0.. in that order, as a
 * temporary table its values are joined to; more distinct values than that fold into one more
 * "other" category. Never a one-hot of every row: a million rows stay a million codes.
 */
export async function categoryCodes(
  connection: DuckDBConnection,
  table: string,
  column: string,
  index: number,
  limit: number,
  distinct: number,
): Promise<CategoryCodes> {
  const codes = `categories_${index}`;
  const name = quoteIdentifier(column);
  await connection.run(
    `CREATE TEMP TABLE ${codes} AS SELECT v, code FROM (
       SELECT v, CAST(row_number() OVER (ORDER BY n DESC, v) - 1 AS INTEGER) AS code
       FROM (SELECT CAST(${name} AS VARCHAR) AS v, count(*) AS n FROM ${table} WHERE ${name} IS NOT NULL GROUP BY v)
     ) WHERE code < $1 ORDER BY code`,
    [limit],
  );
  const result = await connection.runAndReadAll(`SELECT v FROM ${codes} ORDER BY code`);
  const categories = result.getRows().map((row) => String(row[0]));
  if (distinct <= limit) return { table: codes, categories };
  return { table: codes, categories: [...categories, otherName(categories)], otherCode: categories.length };
}
