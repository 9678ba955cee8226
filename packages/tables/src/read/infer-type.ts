import { DATE_TYPES, isNumericType } from './sql.js';
import type { ColumnType } from './table-options.js';

/** What the load stage knows about a column before choosing its type (counts over the rows it keeps). */
export interface ColumnFacts {
  name: string;
  /** DuckDB's type for it (VARCHAR, DOUBLE, DATE, ...). */
  sqlType: string;
  rows: number;
  missing: number;
  distinct: number;
  /** Text columns: how many values read as ISO dates or time stamps. */
  dates?: number;
  isLabel: boolean;
  override?: ColumnType;
}

export type TypeChoice = { type: ColumnType } | { drop: string };

/** A text column whose values are at least this share distinct (and more than a handful) is an identifier. */
const IDENTIFIER_SHARE = 0.5;
const IDENTIFIER_MIN_DISTINCT = 20;

/**
 * A column's type from its DuckDB type and counts, or why it is left out: all missing, a single value,
 * an identifier (text that is mostly unique, a name say), or a type a model cannot read (lists, structs).
 * Integers with few distinct values stay numbers: the task stage decides what a label's values mean.
 * `keepEvery` (rows to predict): no column is dropped for its values, only for a type no model reads.
 */
export function chooseType(facts: ColumnFacts, keepEvery = false): TypeChoice {
  const present = facts.rows - facts.missing;
  if (facts.override) return { type: facts.override };
  // rows to predict keep every column a model may read: a few rows often hold one value, or none
  const judged = !facts.isLabel && !keepEvery;
  if (judged && present === 0) return { drop: 'all missing' };
  if (judged && facts.distinct === 1) return { drop: 'a single value' };
  const sqlType = facts.sqlType;
  if (isNumericType(sqlType)) return { type: 'number' };
  if (sqlType === 'BOOLEAN') return { type: 'boolean' };
  if (DATE_TYPES.has(sqlType)) return { type: 'date' };
  if (sqlType !== 'VARCHAR') return { drop: `a ${sqlType} column, which no model reads` };
  if (present > 0 && facts.dates === present) return { type: 'date' };
  if (judged && facts.distinct > IDENTIFIER_MIN_DISTINCT && facts.distinct >= IDENTIFIER_SHARE * present)
    return { drop: `an identifier (${facts.distinct} distinct values in ${present} rows)` };
  return { type: 'category' };
}
