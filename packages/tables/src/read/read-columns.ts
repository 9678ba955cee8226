import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableColumn } from '@stagegraph/contracts';
import type { CategoryCodes } from './categories.js';
import { CAST_TARGET } from './column-facts.js';
import { quoteIdentifier } from './sql.js';
import type { ColumnType } from './table-options.js';

export interface ColumnPlan {
  name: string;
  type: ColumnType;
  sqlType: string;
  missing: number;
  distinct: number;
  codes?: CategoryCodes;
}

/**
 * The SQL that gives a column's typed-array values with no NULLs left, so a chunk copies straight
 * into its array: NaN for a missing number or date (epoch ms, UTC), 255 for a missing boolean, -1
 * for a missing category and the "other" code for a folded one.
 */
function expression(plan: ColumnPlan, index: number): string {
  const column = `r.${quoteIdentifier(plan.name)}`;
  const cast = plan.sqlType === CAST_TARGET[plan.type] ? column : `TRY_CAST(${column} AS ${CAST_TARGET[plan.type]})`;
  switch (plan.type) {
    case 'number':
      return `coalesce(${cast}, 'NaN'::DOUBLE)`;
    case 'date':
      return `coalesce(CAST(epoch_ms(CAST(${cast} AS TIMESTAMP)) AS DOUBLE), 'NaN'::DOUBLE)`;
    case 'boolean':
      return `coalesce(CAST(${cast} AS UTINYINT), 255::UTINYINT)`;
    case 'category': {
      const other = plan.codes!.otherCode ?? -1;
      return `coalesce(c${index}.code, CASE WHEN ${column} IS NULL THEN -1 ELSE ${other} END)::INTEGER`;
    }
  }
}

type ColumnArray = Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>;

function allocate(plan: ColumnPlan, rows: number): ColumnArray {
  if (plan.type === 'boolean') return new Uint8Array(rows);
  return plan.type === 'category' ? new Int32Array(rows) : new Float64Array(rows);
}

function asColumn(plan: ColumnPlan, array: ColumnArray): TableColumn {
  const base = { name: plan.name, missing: plan.missing, distinct: plan.distinct };
  if (plan.type !== 'category') return { ...base, type: plan.type, values: array } as TableColumn;
  const { categories, otherCode } = plan.codes!;
  return {
    ...base,
    type: 'category',
    codes: array as Int32Array<ArrayBuffer>,
    categories,
    ...(otherCode === undefined ? {} : { otherCode }),
  };
}

/**
 * Streams the columns chunk by chunk (2,048 rows each) into typed arrays allocated once for all
 * rows: no row objects, no materialised result. Row order is the table's (ordered by rowid, as the
 * category joins may reorder).
 */
export async function readColumns(
  connection: DuckDBConnection,
  table: string,
  rows: number,
  plans: ColumnPlan[],
): Promise<TableColumn[]> {
  const joins = plans
    .map((plan, i) =>
      plan.codes
        ? ` LEFT JOIN ${plan.codes.table} c${i} ON CAST(r.${quoteIdentifier(plan.name)} AS VARCHAR) = c${i}.v`
        : '',
    )
    .join('');
  const select = plans.map(expression).join(', ');
  const arrays = plans.map((plan) => allocate(plan, rows));
  const result = await connection.stream(`SELECT ${select} FROM ${table} r${joins} ORDER BY r.rowid`);
  let offset = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const count = chunk.rowCount;
    if (offset + count > rows) throw new Error(`expected ${rows} rows from DuckDB, got more`);
    arrays.forEach((array, column) => {
      const vector = chunk.getColumnVector(column);
      for (let i = 0; i < count; i++) array[offset + i] = vector.getItem(i) as number;
    });
    offset += count;
  }
  if (offset !== rows) throw new Error(`expected ${rows} rows from DuckDB, got ${offset}`);
  return plans.map((plan, i) => asColumn(plan, arrays[i]));
}
