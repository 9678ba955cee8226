import type { DuckDBConnection } from '@duckdb/node-api';
import { DataError, didYouMean } from '@stagegraph/pipeline';
import { shortMessage } from './open-file.js';
import { quoteIdentifier } from './sql.js';
import type { ReadTableOptions } from './table-options.js';

export interface SourceColumn {
  name: string;
  sqlType: string;
}

/** Refuses a column name the source does not have, naming where it came from and the closest one. */
export function checkColumn(name: string, columns: SourceColumn[], where: string): void {
  if (columns.some((c) => c.name === name)) return;
  const names = columns.map((c) => c.name);
  throw new DataError(
    `${where}: expected one of the columns (${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}), got "${name}"${didYouMean(name, names)}`,
  );
}

export async function describe(connection: DuckDBConnection, relation: string): Promise<SourceColumn[]> {
  const result = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  return result.getRows().map((row) => ({ name: String(row[0]), sqlType: String(row[1]) }));
}

/** A type name from DESCRIBE that can be pasted into a cast (no nested types, which hold names). */
const SIMPLE_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?$/;

/** `where` as SQL with one prepared parameter per value: the value is cast to the column's type, not pasted in. */
export function whereClause(where: ReadTableOptions['where'], columns: SourceColumn[]): [string, string[]] {
  const entries = Object.entries(where ?? {});
  if (entries.length === 0) return ['', []];
  const terms = entries.map(([name], i) => {
    const { sqlType } = columns.find((c) => c.name === name)!;
    const column = quoteIdentifier(name);
    return SIMPLE_TYPE.test(sqlType)
      ? `${column} = TRY_CAST($${i + 1} AS ${sqlType})`
      : `CAST(${column} AS VARCHAR) = $${i + 1}`;
  });
  return [` WHERE ${terms.join(' AND ')}`, entries.map(([, value]) => String(value))];
}

/**
 * Once the file is read into `data`, a config's `query` may touch nothing else: no other file read or
 * written (read_csv, COPY ... TO, ATTACH), no extension installed, and no setting changed back.
 */
async function sealDatabase(connection: DuckDBConnection): Promise<void> {
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/**
 * The rows the table is made of, as the temporary table it names: the file's `data`, through the
 * user's `query` and `where` when given. Checks the label, `where` and `columns` names against it.
 */
export async function selectRows(
  connection: DuckDBConnection,
  options: ReadTableOptions,
): Promise<{
  table: string;
  columns: SourceColumn[];
}> {
  const params = options.paramsName ?? 'params';
  let relation = 'data';
  if (options.query !== undefined) {
    await sealDatabase(connection);
    const statements = await connection.extractStatements(options.query).catch((error: unknown) => {
      throw new DataError(`${params}.query: expected SQL over the table "data", got ${shortMessage(error)}`);
    });
    if (statements.count !== 1)
      throw new DataError(
        `${params}.query: expected one SELECT over the table "data", got ${statements.count} statements`,
      );
    try {
      await connection.run(`CREATE TEMP VIEW source AS ${options.query}`);
    } catch (error) {
      throw new DataError(`${params}.query: expected SQL over the table "data", got ${shortMessage(error)}`);
    }
    relation = 'source';
  }
  const columns = await describe(connection, relation);
  if (!options.forPrediction) checkColumn(options.label, columns, `${params}.label`);
  for (const name of Object.keys(options.where ?? {})) checkColumn(name, columns, `${params}.where`);
  const { keep, drop } = options.columns ?? {};
  const types = options.forPrediction ? [] : Object.keys(options.columns?.types ?? {});
  for (const [key, names] of Object.entries({ keep, drop, types }))
    for (const name of names ?? []) checkColumn(name, columns, `${params}.columns.${key}`);
  if (relation === 'data' && options.where === undefined) return { table: 'data', columns };
  const [clause, values] = whereClause(options.where, columns);
  await connection.run(`CREATE TEMP TABLE rows AS SELECT * FROM ${relation}${clause}`, values);
  // the file's copy is not needed once the rows are selected
  if (relation === 'source') await connection.run('DROP VIEW source');
  await connection.run('DROP TABLE data');
  return { table: 'rows', columns };
}
