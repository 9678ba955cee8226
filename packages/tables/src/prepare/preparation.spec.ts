import { describe, expect, it } from '@jest/globals';
import { TABLE_PREPARATION, type Table } from '@stagegraph/contracts';
import { DataError, SeededRandom } from '@stagegraph/pipeline';
import { applyPreparation, prepareColumns } from './apply-preparation.js';
import { dateParts } from './date-parts.js';
import { fitPreparation } from './fit-preparation.js';
import { booleanColumn, categoryColumn, dateColumn, numberColumn, tableOf } from './test-support/tables.js';

const TRAIN = Int32Array.of(0, 1, 2, 3, 4, 5);
const TEST = Int32Array.of(6, 7);

/** Rows 0-5 train, 6-7 test: "green" appears in test rows only; x is missing in a training row. */
const cars = (x7 = 9): Table =>
  tableOf(
    [
      numberColumn('x', [1, 2, NaN, 4, 10, 3, 5, x7]),
      categoryColumn('color', ['red', 'blue', 'red', undefined, 'blue', 'red', 'green', 'red']),
      booleanColumn('turbo', [true, false, true, true, false, false, undefined, true]),
      dateColumn('made', [
        '2020-01-06',
        '2021-01-07',
        '2020-01-08',
        '2022-01-09',
        '2021-01-10',
        '2020-01-11',
        '2023-01-12',
        undefined,
      ]),
      categoryColumn('origin', ['USA', 'Japan', 'USA', 'Japan', 'USA', 'Japan', 'USA', 'Japan']),
    ],
    'origin',
    'cars.csv',
  );

const row = (features: Float32Array, width: number, i: number) =>
  Array.from(features.subarray(i * width, (i + 1) * width));

describe('fitPreparation', () => {
  it('fits on the training rows only: an extreme test value moves neither mean nor median', () => {
    const fitted = fitPreparation(cars(9), TRAIN);
    expect(fitPreparation(cars(1e9), TRAIN)).toEqual(fitted);
    // fitting on every row would have seen it (the spec could not pass with a leaking fit)
    expect(fitPreparation(cars(1e9), Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7)).steps[0]).not.toEqual(fitted.steps[0]);
    const x = fitted.steps[0];
    expect(x.type === 'number' && [x.median, x.mean, x.indicator]).toEqual([3, 4, true]);
    expect(x.type === 'number' && x.std).toBeCloseTo(Math.sqrt((9 + 4 + 0 + 36 + 1) / 5));
    expect(TABLE_PREPARATION.check!(fitted)).toBeUndefined();
  });

  it('keeps the categories of the training rows, flags missing values seen in training, and names the features', () => {
    const fitted = fitPreparation(cars(), TRAIN);
    expect(fitted).toMatchObject({ task: 'classification', classes: ['USA', 'Japan'], label: 'origin' });
    expect(fitted.steps[1]).toEqual({
      type: 'category',
      column: 'color',
      categories: ['red', 'blue'],
      indicator: true,
    });
    expect(fitted.steps[2]).toEqual({ type: 'boolean', column: 'turbo', fill: 0.5, indicator: false });
    const made = fitted.steps[3];
    // every training date is in January: the month part is constant and left out
    expect(made.type === 'date' && made.parts.map((p) => p.part)).toEqual(['year', 'dayOfWeek']);
    expect(fitted.features).toEqual([
      'x',
      'x missing',
      'color=red',
      'color=blue',
      'color missing',
      'turbo',
      'made.year',
      'made.dayOfWeek',
    ]);
  });
});

describe('applyPreparation', () => {
  it('standardises, imputes with the training median, one-hots, and counts unseen categories and missing values', () => {
    const fitted = fitPreparation(cars(), TRAIN);
    const width = fitted.features.length;
    const train = applyPreparation(fitted, cars(), TRAIN);
    const x = fitted.steps[0] as { mean: number; std: number };
    // row 2: x missing -> median 3, flagged; color red
    expect(row(train.features, width, 2).slice(0, 5)).toEqual([(3 - x.mean) / x.std, 1, 1, 0, 0].map(Math.fround));
    // row 3: color missing -> flagged, no one-hot
    expect(row(train.features, width, 3).slice(2, 5)).toEqual([0, 0, 1]);
    expect(train.counts).toEqual({ missing: { x: 1, color: 1 }, unseen: {}, unseenClasses: 0 });
    const test = applyPreparation(fitted, cars(), TEST);
    // row 6: "green" never seen in training -> all zeros, not flagged missing; turbo missing -> 0.5
    expect(row(test.features, width, 0).slice(2, 6)).toEqual([0, 0, 0, 0.5]);
    expect(test.counts).toEqual({ missing: { turbo: 1, made: 1 }, unseen: { color: 1 }, unseenClasses: 0 });
    expect(Array.from(test.labels!)).toEqual([0, 1]);
  });

  it('standardised training features have mean 0 and std 1', () => {
    const random = new SeededRandom(2);
    const values = Array.from({ length: 500 }, () => 50 + 20 * random.next());
    const table = tableOf(
      [
        numberColumn('v', values),
        numberColumn(
          'y',
          values.map((v) => v * 2.5),
        ),
      ],
      'y',
    );
    const rows = Int32Array.from({ length: 400 }, (_, i) => i);
    const { features, labels } = applyPreparation(fitPreparation(table, rows), table, rows);
    const mean = features.reduce((s, v) => s + v, 0) / features.length;
    const std = Math.sqrt(features.reduce((s, v) => s + (v - mean) ** 2, 0) / features.length);
    expect([mean, std].map((v) => Number(v.toFixed(4)))).toEqual([0, 1]);
    expect(labels).toBeInstanceOf(Float64Array);
    expect(labels![3]).toBeCloseTo(values[3] * 2.5);
  });

  it('maps categories and classes by name in a table read later whose codes differ, and ignores extra columns', () => {
    const fitted = fitPreparation(cars(), TRAIN);
    const later = tableOf(
      [
        categoryColumn('origin', ['Japan', 'USA', 'Mars'], ['Mars', 'USA', 'Japan']),
        categoryColumn('color', ['blue', 'red', 'purple'], ['purple', 'blue', 'red']),
        numberColumn('comment', [1, 2, 3]),
        numberColumn('x', [4, NaN, 2]),
        booleanColumn('turbo', [true, false, true]),
        dateColumn('made', ['2021-01-07', '2020-01-08', '2020-01-06']),
      ],
      'origin',
      'new.csv',
    );
    const applied = applyPreparation(fitted, later);
    const original = applyPreparation(fitted, cars(), Int32Array.of(3, 2, 0));
    const width = fitted.features.length;
    expect(row(applied.features, width, 0).slice(2, 4)).toEqual([0, 1]); // blue
    expect(row(applied.features, width, 1).slice(2, 4)).toEqual([1, 0]); // red
    expect(row(applied.features, width, 2).slice(2, 5)).toEqual([0, 0, 0]); // purple: unseen
    expect(row(applied.features, width, 1)[0]).toEqual(row(original.features, width, 1)[0]); // x imputed = x of row 2
    expect(Array.from(applied.labels!)).toEqual([1, 0, -1]);
    expect(applied.counts).toEqual({ missing: { x: 1 }, unseen: { color: 1 }, unseenClasses: 1 });
    expect(applied.extraColumns).toEqual(['comment']);
  });

  it('sends an unseen category to the "other" column where training folded rare values there', () => {
    const colors = ['red', 'blue', '(other)', 'red', 'blue', 'red'];
    const table = tableOf(
      [categoryColumn('c', colors, ['red', 'blue', '(other)'], 2), numberColumn('y', [1.5, 2, 3, 4, 5, 6])],
      'y',
    );
    const fitted = fitPreparation(table, Int32Array.of(0, 1, 2, 3, 4, 5));
    expect(fitted.steps[0]).toMatchObject({ categories: ['red', 'blue', '(other)'], other: '(other)' });
    const later = tableOf([categoryColumn('c', ['teal', 'rest'], ['teal', 'rest'], 1)], undefined, 'new.csv');
    const applied = applyPreparation(fitted, later);
    expect(Array.from(applied.features)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(applied.counts.unseen).toEqual({ c: 1 }); // teal; the new file's own 'other' bucket is not unseen
    expect(applied.labels).toBeUndefined();
  });

  it('names every column the new table lacks, and a column of another type', () => {
    const fitted = fitPreparation(cars(), TRAIN);
    const lacking = tableOf([numberColumn('X', [1]), booleanColumn('turbo', [true])], undefined, 'rows.csv');
    expect(() => applyPreparation(fitted, lacking)).toThrow(
      new DataError('rows.csv: expected the columns "x", "color", "made" the model was trained on, got none'),
    );
    const one = tableOf([...cars().columns.filter((c) => c.name !== 'x'), numberColumn('X', Array(8).fill(1))]);
    expect(() => applyPreparation(fitted, one)).toThrow(
      'expected the column "x" the model was trained on, got none (did you mean "X"?)',
    );
    const retyped = tableOf(
      cars().columns.map((c) => (c.name === 'made' ? numberColumn('made', Array(8).fill(1)) : c)),
    );
    expect(() => applyPreparation(fitted, retyped)).toThrow(
      'expected column "made" to hold date values (as in training), got number',
    );
  });

  it('lays the same features out row by row and column by column', () => {
    const fitted = fitPreparation(cars(), TRAIN);
    const rows = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7);
    const { features } = applyPreparation(fitted, cars(), rows);
    const { columns } = prepareColumns(fitted, cars(), rows);
    const width = fitted.features.length;
    columns.forEach((column, f) => column.forEach((v, i) => expect(features[i * width + f]).toBe(Math.fround(v))));
  });
});

describe('dateParts', () => {
  it('agrees with Date for dates from 1600 to 2400', () => {
    const random = new SeededRandom(11);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.round((random.next() - 0.5) * 2 * 1.4e13);
      const d = new Date(ms);
      expect(Array.from(dateParts(ms))).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay()]);
    }
  });
});
