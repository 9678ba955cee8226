/** Seeded prepared tables (number features x0..x3, a category or number label from x0 and x1) for the dense-table specs. */
import type { Table, TableColumn } from '@stagegraph/contracts';
import { SeededRandom } from '@stagegraph/pipeline';

const normal = (random: SeededRandom) =>
  Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

export function syntheticTable(rows: number, seed: number, classes?: string[]): Table {
  const random = new SeededRandom(seed);
  const x = [0, 1, 2, 3].map(() => new Float64Array(rows));
  const label = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x.forEach((column) => (column[r] = normal(random)));
    const [x0, x1] = [x[0][r], x[1][r]];
    if (classes) {
      const scores = [2 * x0, 2 * x1, 0.5];
      label[r] = scores.indexOf(Math.max(...scores));
    } else label[r] = 20 + 6 * x0 + 2 * x1 + Math.sin(2 * x1) + 0.5 * normal(random);
  }
  const labelColumn: TableColumn = classes
    ? { name: 'y', type: 'category', codes: Int32Array.from(label), categories: classes, missing: 0, distinct: 3 }
    : { name: 'y', type: 'number', values: label, missing: 0, distinct: rows };
  return {
    rows,
    label: 'y',
    columns: [
      ...x.map((values, j): TableColumn => ({ name: `x${j}`, type: 'number', values, missing: 0, distinct: rows })),
      labelColumn,
    ],
    dropped: [],
    source: { file: 'synthetic', rowsRead: rows, labelMissing: 0 },
  };
}
