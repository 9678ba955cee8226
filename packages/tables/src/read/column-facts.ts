import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnFacts } from './infer-type.js';
import type { SourceColumn } from './select-rows.js';
import { quoteIdentifier } from './sql.js';
import type { ColumnType } from './table-options.js';

/** The DuckDB type a forced type's values are cast to; values that do not cast are counted as failures. */
export const CAST_TARGET: Record<ColumnType, string> = {
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMPTZ',
  category: 'VARCHAR',
};

/**
 * Distinct counts are exact up to this many (HyperLogLog's estimate above): an exact count of two
 * million distinct numbers costs a hash table of them, and beyond this a column's exact count says nothing
 * the estimate does not (the task stage looks at few distinct values; identifiers are a share of rows).
 */
export const EXACT_DISTINCT_UP_TO = 100_000;

async function exactDistinct(
  connection: DuckDBConnection,
  table: string,
  names: string[],
): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const counts = names.map((name) => `count(DISTINCT ${quoteIdentifier(name)})`).join(', ');
  const row = (await connection.runAndReadAll(`SELECT ${counts} FROM ${table}`)).getRows()[0].map(Number);
  return new Map(names.map((name, i) => [name, row[i]]));
}

/**
 * Counts every column's missing and distinct values (and, for text, how many read as dates; for a
 * forced type, how many cast to it) in one pass over the rows, as one SQL query of aggregates.
 */
export async function columnFacts(
  connection: DuckDBConnection,
  table: string,
  columns: SourceColumn[],
  label: string,
  overrides: Record<string, ColumnType>,
): Promise<(ColumnFacts & { castable?: number })[]> {
  const aggregates = columns.flatMap(({ name, sqlType }) => {
    const column = quoteIdentifier(name);
    const override = overrides[name];
    return [
      `count(${column})`,
      `approx_count_distinct(${column})`,
      sqlType === 'VARCHAR' ? `count(TRY_CAST(${column} AS TIMESTAMPTZ))` : '0',
      override ? `count(TRY_CAST(${column} AS ${CAST_TARGET[override]}))` : '0',
    ];
  });
  const result = await connection.runAndReadAll(`SELECT count(*), ${aggregates.join(', ')} FROM ${table}`);
  const row = result.getRows()[0].map(Number);
  const rows = row[0];
  const exact = await exactDistinct(
    connection,
    table,
    columns.filter((_c, i) => row[2 + 4 * i] <= EXACT_DISTINCT_UP_TO).map((c) => c.name),
  );
  return columns.map(({ name, sqlType }, i) => {
    const [present, approximate, dates, castable] = row.slice(1 + 4 * i, 5 + 4 * i);
    const distinct = exact.get(name) ?? Math.min(approximate, present); // the estimate can exceed the count
    return {
      name,
      sqlType,
      rows,
      missing: rows - present,
      distinct,
      dates: sqlType === 'VARCHAR' ? dates : undefined,
      isLabel: name === label,
      override: overrides[name],
      castable: overrides[name] ? castable : undefined,
    };
  });
}
