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
      `count(DISTINCT ${column})`,
      sqlType === 'VARCHAR' ? `count(TRY_CAST(${column} AS TIMESTAMPTZ))` : '0',
      override ? `count(TRY_CAST(${column} AS ${CAST_TARGET[override]}))` : '0',
    ];
  });
  const result = await connection.runAndReadAll(`SELECT count(*), ${aggregates.join(', ')} FROM ${table}`);
  const row = result.getRows()[0].map(Number);
  const rows = row[0];
  return columns.map(({ name, sqlType }, i) => {
    const [present, distinct, dates, castable] = row.slice(1 + 4 * i, 5 + 4 * i);
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
