import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { categoryCodes } from './categories.js';
import { columnFacts, CAST_TARGET } from './column-facts.js';
import { chooseType } from './infer-type.js';
import { openFile } from './open-file.js';
import { readColumns, type ColumnPlan } from './read-columns.js';
import { selectRows, type SourceColumn } from './select-rows.js';
import { quoteIdentifier } from './sql.js';
import type { ReadTableOptions } from './table-options.js';

export const DEFAULT_MAX_CATEGORIES = 50;
/** A label keeps this many classes before folding (a label's classes are what a classifier predicts). */
const LABEL_MAX_CATEGORIES = 1000;
/** Rows to predict keep every value by name: the preparation matches categories by name, and the output shows them. */
const UNFOLDED = 2 ** 31 - 1;

/** The columns `columns.keep`/`drop` leave in (the label always), and those they leave out. */
function pickColumns(columns: SourceColumn[], options: ReadTableOptions): [SourceColumn[], Table['dropped']] {
  const { keep, drop } = options.columns ?? {};
  const kept = columns.filter(
    (c) => c.name === options.label || (keep ? keep.includes(c.name) : !(drop ?? []).includes(c.name)),
  );
  const dropped = columns
    .filter((c) => !kept.includes(c))
    .map((c) => ({ name: c.name, reason: 'left out by columns' }));
  return [kept, dropped];
}

/** Counts the rows and those without a label, deletes the latter; a table with no rows is an error. */
async function dropUnlabelled(connection: DuckDBConnection, table: string, options: ReadTableOptions) {
  const shownAs = options.shownAs ?? options.file;
  if (options.forPrediction) {
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    if (rows === 0) throw new DataError(`${shownAs}: expected rows to predict, got none`);
    return { rowsRead: rows, labelMissing: 0, rows };
  }
  const label = quoteIdentifier(options.label);
  const counts = (await connection.runAndReadAll(`SELECT count(*), count(${label}) FROM ${table}`)).getRows()[0];
  const [rowsRead, labelled] = counts.map(Number);
  if (rowsRead === 0)
    throw new DataError(
      `${shownAs}: expected rows, got none${options.where || options.query ? ' (after where/query)' : ''}`,
    );
  if (labelled === 0)
    throw new DataError(`${shownAs}: expected rows with a "${options.label}" value, got ${rowsRead} rows without one`);
  if (labelled < rowsRead) await connection.run(`DELETE FROM ${table} WHERE ${label} IS NULL`);
  return { rowsRead, labelMissing: rowsRead - labelled, rows: labelled };
}

/** Why a forced type cannot hold a column's values: the first value that does not cast, and how many. */
async function castFailure(connection: DuckDBConnection, table: string, name: string, target: string, failed: number) {
  const column = quoteIdentifier(name);
  const sql = `SELECT CAST(${column} AS VARCHAR) FROM ${table} WHERE ${column} IS NOT NULL AND TRY_CAST(${column} AS ${target}) IS NULL LIMIT 1`;
  const example = (await connection.runAndReadAll(sql)).getRows()[0]?.[0];
  return `got "${String(example)}"${failed > 1 ? ` and ${failed - 1} more values that are not` : ''}`;
}

/** The file read into the `data` table, its columns typed (or dropped with why), and their values read. */
async function tableFrom(connection: DuckDBConnection, options: ReadTableOptions): Promise<Table> {
  const shownAs = options.shownAs ?? options.file;
  const log = options.log ?? (() => undefined);
  await openFile(connection, options.file, shownAs, { located: options.located });
  const { table, columns } = await selectRows(connection, options);
  const source = { file: shownAs, ...(await dropUnlabelled(connection, table, options)) };
  const [kept, dropped] = pickColumns(columns, options);
  const overrides = options.columns?.types ?? {};
  const plans: ColumnPlan[] = [];
  for (const facts of await columnFacts(connection, table, kept, options.label, overrides)) {
    const present = facts.rows - facts.missing;
    if (facts.override && facts.castable !== undefined && facts.castable < present) {
      const target = CAST_TARGET[facts.override];
      const why = await castFailure(connection, table, facts.name, target, present - facts.castable);
      throw new DataError(
        options.forPrediction
          ? `${shownAs}: expected column "${facts.name}" to hold ${facts.override} values (as in training), ${why}`
          : `${options.paramsName ?? 'params'}.columns.types.${facts.name}: expected ${facts.override} values, ${why}`,
      );
    }
    const choice = chooseType(facts, options.forPrediction);
    if ('drop' in choice) {
      // the label cannot be left out: say so here, not as a table without its label later
      if (facts.isLabel)
        throw new DataError(
          `${options.paramsName ?? 'params'}.label: expected a column of numbers, text, booleans or dates to predict, got "${facts.name}", ${choice.drop}`,
        );
      dropped.push({ name: facts.name, reason: choice.drop });
      log(`${facts.name}: dropped, ${choice.drop}`);
      continue;
    }
    const plan: ColumnPlan = { ...facts, type: choice.type };
    if (choice.type === 'category') {
      const limit = options.forPrediction
        ? UNFOLDED
        : facts.isLabel
          ? LABEL_MAX_CATEGORIES
          : (options.maxCategories ?? DEFAULT_MAX_CATEGORIES);
      plan.codes = await categoryCodes(connection, table, facts.name, plans.length, limit, facts.distinct);
    }
    plans.push(plan);
    const folded = plan.codes?.otherCode !== undefined ? `, top ${plan.codes.otherCode} kept and the rest "other"` : '';
    log(
      `${facts.name}: ${choice.type}${facts.isLabel ? ' (label)' : ''}, ${facts.missing} missing, ${facts.distinct} distinct${folded}`,
    );
  }
  const tableColumns = await readColumns(connection, table, source.rows, plans);
  // rows to predict may lack the label: a table without one
  const labelled = !options.forPrediction || tableColumns.some((column) => column.name === options.label);
  return {
    rows: source.rows,
    ...(labelled ? { label: options.label } : {}),
    columns: tableColumns,
    dropped,
    source: { file: shownAs, rowsRead: source.rowsRead, labelMissing: source.labelMissing },
  };
}

/**
 * Reads a CSV, TSV, JSON, JSON Lines, Parquet or Arrow IPC file into a TABLE through DuckDB (an
 * in-memory database of its own, closed after): typed-array columns with inferred types, rows
 * without a label dropped and counted, `where`/`query` applied in SQL with values as parameters.
 */
export async function readTable(options: ReadTableOptions): Promise<Table> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // dates are UTC epoch milliseconds whatever the machine's zone
    await connection.run("SET TimeZone = 'UTC'");
    return await tableFrom(connection, options);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
