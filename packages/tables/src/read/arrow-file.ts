import { readFile } from 'node:fs/promises';
import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DataError } from '@stagegraph/pipeline';
import { tableFromIPC, Type, type Field, type Table, type Vector } from 'apache-arrow';
import { quoteIdentifier } from './sql.js';

type Kind = 'number' | 'boolean' | 'date' | 'text';

const SQL_TYPES: Record<Kind, { name: string; type: DuckDBType }> = {
  number: { name: 'DOUBLE', type: DOUBLE },
  boolean: { name: 'BOOLEAN', type: BOOLEAN },
  // epoch milliseconds go in as doubles and become time stamps in SQL below
  date: { name: 'DOUBLE', type: DOUBLE },
  text: { name: 'VARCHAR', type: VARCHAR },
};

function kindOf(field: Field): Kind {
  switch (field.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
    case Type.Timestamp:
      return 'date';
    default:
      return 'text';
  }
}

function valueOf(value: unknown, kind: Kind): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (kind === 'number') return Number(value);
  if (kind === 'boolean') return Boolean(value);
  if (kind === 'date') return value instanceof Date ? value.getTime() : Number(value);
  return typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

const CHUNK = 2048;

/** Appends the Arrow table's columns, a chunk of rows at a time, into a table of plain DuckDB types. */
async function appendTable(connection: DuckDBConnection, arrow: Table, table: string, kinds: Kind[]): Promise<void> {
  const appender = await connection.createAppender(table);
  const vectors = arrow.schema.fields.map((_f, i) => arrow.getChildAt(i) as Vector);
  const chunk = DuckDBDataChunk.create(kinds.map((kind) => SQL_TYPES[kind].type));
  for (let start = 0; start < arrow.numRows; start += CHUNK) {
    const count = Math.min(CHUNK, arrow.numRows - start);
    chunk.rowCount = count;
    vectors.forEach((vector, column) => {
      const values: DuckDBValue[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = valueOf(vector.get(start + i), kinds[column]);
      chunk.setColumnValues(column, values);
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Reads an Arrow IPC file (file or stream format) into the temporary table `table`. */
export async function loadArrowFile(connection: DuckDBConnection, file: string, table: string): Promise<void> {
  let arrow: Table;
  try {
    arrow = tableFromIPC(await readFile(file));
  } catch (error) {
    throw new DataError(`${file}: expected an Arrow IPC file, got ${(error as Error).message.split('\n')[0]}`);
  }
  const fields = arrow.schema.fields;
  const kinds = fields.map(kindOf);
  const staging = `${table}__arrow`;
  const columns = fields.map((f, i) => `${quoteIdentifier(f.name)} ${SQL_TYPES[kinds[i]].name}`).join(', ');
  await connection.run(`CREATE TEMP TABLE ${staging} (${columns})`);
  await appendTable(connection, arrow, staging, kinds);
  const select = fields
    .map((f, i) =>
      kinds[i] === 'date'
        ? `make_timestamp(CAST(${quoteIdentifier(f.name)} * 1000 AS BIGINT)) AS ${quoteIdentifier(f.name)}`
        : quoteIdentifier(f.name),
    )
    .join(', ');
  await connection.run(`CREATE TEMP TABLE ${table} AS SELECT ${select} FROM ${staging}`);
  await connection.run(`DROP TABLE ${staging}`);
}
