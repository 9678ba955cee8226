/** A column name as a quoted SQL identifier (identifiers cannot be prepared parameters; values always are). */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** DuckDB's numeric types: a column of one of these is a number column. */
export const NUMERIC_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'FLOAT',
  'DOUBLE',
]);

/** DuckDB's date and time-stamp types: a column of one of these is a date column. */
export const DATE_TYPES = new Set([
  'DATE',
  'TIMESTAMP',
  'TIMESTAMP_S',
  'TIMESTAMP_MS',
  'TIMESTAMP_NS',
  'TIMESTAMP WITH TIME ZONE',
]);

export const isNumericType = (sqlType: string): boolean => NUMERIC_TYPES.has(sqlType) || sqlType.startsWith('DECIMAL');
