/** Seeded prepared tables (number features, a category or number label) with known answers, for the table model specs. */
import type { Table, TableColumn } from '@stagegraph/contracts';
import { SeededRandom } from '@stagegraph/pipeline';

/** A standard normal draw (Box-Muller). */
const normal = (random: SeededRandom) =>
  Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

const numberColumn = (name: string, values: Float64Array<ArrayBuffer>): TableColumn => ({
  name,
  type: 'number',
  values,
  missing: 0,
  distinct: values.length,
});

/**
 * rows of features x0..x3 (standard normal; x2 and x3 noise) and a one-hot "color" (noise), and a
 * label from `rule` over x0, x1: a category column when `classes` is given, else a number column.
 */
export function syntheticTable(
  rows: number,
  seed: number,
  rule: (x0: number, x1: number, random: SeededRandom) => number,
  classes?: string[],
): Table {
  const random = new SeededRandom(seed);
  const x = [0, 1, 2, 3].map(() => new Float64Array(rows));
  const red = new Float64Array(rows);
  const label = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x.forEach((column) => (column[r] = normal(random)));
    red[r] = random.next() < 0.5 ? 1 : 0;
    label[r] = rule(x[0][r], x[1][r], random);
  }
  const labelColumn: TableColumn = classes
    ? {
        name: 'y',
        type: 'category',
        codes: Int32Array.from(label),
        categories: classes,
        missing: 0,
        distinct: classes.length,
      }
    : numberColumn('y', label);
  return {
    rows,
    label: 'y',
    columns: [
      ...x.map((values, j) => numberColumn(`x${j}`, values)),
      numberColumn('color=red', red),
      numberColumn(
        'color=blue',
        red.map((v) => 1 - v),
      ),
      labelColumn,
    ],
    dropped: [],
    source: { file: 'synthetic', rowsRead: rows, labelMissing: 0 },
  };
}

/** Three classes by which of 2 x0, 2 x1 and 0.5 is largest, 5% of labels flipped at random. */
export const threeClasses = (x0: number, x1: number, random: SeededRandom) => {
  const scores = [2 * x0, 2 * x1, 0.5];
  const best = scores.indexOf(Math.max(...scores));
  return random.next() < 0.05 ? random.nextInt(3) : best;
};

/** Mostly x0, some x1, a bend and a little noise. */
export const smoothValue = (x0: number, x1: number, random: SeededRandom) =>
  3 * x0 + x1 + 0.5 * Math.sin(2 * x1) + 0.3 * normal(random);
