// Tables built by hand for the specs: typed-array columns, as a reader would give them.
import type { Table, TableColumn } from '@stagegraph/contracts';

export const numberColumn = (name: string, values: number[]): TableColumn => ({
  name,
  type: 'number',
  values: Float64Array.from(values),
  missing: values.filter(Number.isNaN).length,
  distinct: new Set(values.filter((v) => !Number.isNaN(v))).size,
});

/** A category column from values (undefined = missing), categories in first-seen order unless given. */
export const categoryColumn = (
  name: string,
  values: (string | undefined)[],
  categories = [...new Set(values.filter((v): v is string => v !== undefined))],
  otherCode?: number,
): TableColumn => ({
  name,
  type: 'category',
  codes: Int32Array.from(values, (v) => (v === undefined ? -1 : categories.indexOf(v))),
  categories,
  ...(otherCode === undefined ? {} : { otherCode }),
  missing: values.filter((v) => v === undefined).length,
  distinct: new Set(values.filter((v) => v !== undefined)).size,
});

export const booleanColumn = (name: string, values: (boolean | undefined)[]): TableColumn => ({
  name,
  type: 'boolean',
  values: Uint8Array.from(values, (v) => (v === undefined ? 255 : v ? 1 : 0)),
  missing: values.filter((v) => v === undefined).length,
  distinct: new Set(values.filter((v) => v !== undefined)).size,
});

export const dateColumn = (name: string, isoDates: (string | undefined)[]): TableColumn => ({
  name,
  type: 'date',
  values: Float64Array.from(isoDates, (d) => (d === undefined ? NaN : Date.parse(d))),
  missing: isoDates.filter((d) => d === undefined).length,
  distinct: new Set(isoDates.filter((d) => d !== undefined)).size,
});

export const tableOf = (columns: TableColumn[], label?: string, file = 'data.csv'): Table => {
  const rows = columns.length
    ? columns[0].type === 'category'
      ? columns[0].codes.length
      : columns[0].values.length
    : 0;
  return {
    rows,
    ...(label === undefined ? {} : { label }),
    columns,
    dropped: [],
    source: { file, rowsRead: rows, labelMissing: 0 },
  };
};

/** n labels, `shares` of each class in turn (e.g. {a: 0.7, b: 0.2, c: 0.1}), in a fixed interleaved order. */
export const imbalancedLabels = (n: number, shares: Record<string, number>): string[] => {
  const names = Object.keys(shares);
  const counts = names.map((name) => Math.round(n * shares[name]));
  const out: string[] = [];
  while (out.length < n)
    names.forEach((name, c) => {
      if (counts[c]-- > 0) out.push(name);
    });
  return out;
};
