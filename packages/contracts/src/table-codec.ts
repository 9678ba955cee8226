import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic, type Codec } from '@stagegraph/pipeline';
import { TABLE, type Table, type TableColumn } from './table.js';

/** A column as table.json lists it: everything but its typed array, which is `<name>.<index>.bin` beside it. */
type StoredColumn = Omit<TableColumn, 'values' | 'codes'> & { file: string };

type StoredTable = Omit<Table, 'columns'> & { columns: StoredColumn[] };

const ARRAYS = { number: Float64Array, date: Float64Array, boolean: Uint8Array, category: Int32Array } as const;

const arrayOf = (column: TableColumn): Float64Array | Uint8Array | Int32Array =>
  column.type === 'category' ? column.codes : column.values;

function withoutArray(column: TableColumn, file: string): StoredColumn {
  const { values: _values, codes: _codes, ...rest } = column as TableColumn & { values?: unknown; codes?: unknown };
  return { ...rest, file } as StoredColumn;
}

/** Reads a column's bytes back into a typed array of its own (a copy, so it is aligned and owns its memory). */
function columnFrom(stored: StoredColumn, bytes: Buffer): TableColumn {
  const { file: _file, ...rest } = stored;
  const Array = ARRAYS[stored.type];
  if (bytes.byteLength % Array.BYTES_PER_ELEMENT !== 0)
    throw new Error(`${stored.file}: expected whole ${Array.name} entries, got ${bytes.byteLength} bytes`);
  const array = new Array(bytes.byteLength / Array.BYTES_PER_ELEMENT);
  new Uint8Array(array.buffer).set(bytes);
  return (stored.type === 'category' ? { ...rest, codes: array } : { ...rest, values: array }) as TableColumn;
}

/**
 * Stores a table as `<name>.table.json` (rows, label, column names, types and categories) and one
 * raw little-endian file per column: a million-row column is written and read back as one buffer,
 * not as JSON numbers. A loaded table is checked against TABLE, so a damaged entry fails loudly.
 */
export const tableCodec: Codec<Table> = {
  kind: 'table',
  async save(table, dir, name) {
    const files: string[] = [];
    const columns = await Promise.all(
      table.columns.map(async (column, index) => {
        const file = `${name}.${index}.bin`;
        const array = arrayOf(column);
        await writeFileAtomic(join(dir, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        files.push(join(dir, file));
        return withoutArray(column, file);
      }),
    );
    const meta = join(dir, `${name}.table.json`);
    await writeFileAtomic(meta, JSON.stringify({ ...table, columns }, null, 2) + '\n');
    return [meta, ...files];
  },
  async load(dir, name) {
    const meta = JSON.parse(await readFile(join(dir, `${name}.table.json`), 'utf8')) as StoredTable;
    const columns = await Promise.all(
      meta.columns.map(async (stored) => {
        // a damaged table.json must not point a read outside the entry
        if (typeof stored.file !== 'string' || basename(stored.file) !== stored.file || !(stored.type in ARRAYS))
          throw new Error(
            `${join(dir, `${name}.table.json`)}: expected a column file and type, got ${JSON.stringify(stored)}`,
          );
        return columnFrom(stored, await readFile(join(dir, stored.file)));
      }),
    );
    const table = { ...meta, columns };
    const problem = TABLE.check?.(table);
    if (problem) throw new Error(`${join(dir, `${name}.table.json`)}: ${problem}`);
    return table as Table;
  },
};
