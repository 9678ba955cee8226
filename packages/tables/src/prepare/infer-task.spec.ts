import { describe, expect, it } from '@jest/globals';
import { DataError } from '@stagegraph/pipeline';
import { inferTask } from './infer-task.js';
import { booleanColumn, categoryColumn, dateColumn, numberColumn, tableOf } from './test-support/tables.js';

const repeat = <T>(values: T[], n: number): T[] => Array.from({ length: n }, (_, i) => values[i % values.length]);

describe('inferTask', () => {
  it('makes category and boolean labels a classification', () => {
    const origin = tableOf([categoryColumn('Origin', repeat(['USA', 'Japan', 'Europe'], 30))], 'Origin');
    expect(inferTask(origin)).toEqual({ task: 'classification', reason: 'a category label, 3 classes' });
    expect(inferTask(tableOf([booleanColumn('churn', repeat([true, false], 10))], 'churn')).task).toBe(
      'classification',
    );
  });

  it('makes few whole numbers a classification and other numbers a regression', () => {
    const cylinders = numberColumn('Cylinders', repeat([4, 6, 8, 3, 5], 100));
    expect(inferTask(tableOf([cylinders], 'Cylinders')).task).toBe('classification');
    // two whole values are classes however few the rows
    expect(inferTask(tableOf([numberColumn('y', [0, 1, 1, 0])], 'y')).task).toBe('classification');
    const mpg = numberColumn('mpg', repeat([18, 15.5, 31, 22.4], 100));
    expect(inferTask(tableOf([mpg], 'mpg'))).toEqual({
      task: 'regression',
      reason: 'a number label with values that are not whole numbers',
    });
    // whole numbers, but 30 distinct ones: a count or an age, not classes
    expect(
      inferTask(
        tableOf(
          [
            numberColumn(
              'age',
              repeat(
                Array.from({ length: 30 }, (_, i) => 20 + i),
                300,
              ),
            ),
          ],
          'age',
        ),
      ).task,
    ).toBe('regression');
    // five whole values in 30 rows: fewer than 10 rows per value, a regression
    expect(inferTask(tableOf([numberColumn('rating', repeat([1, 2, 3, 4, 5], 30))], 'rating')).task).toBe('regression');
  });

  it('lets `task` decide, but not a regression on categories nor any task on a date', () => {
    const rating = tableOf([numberColumn('rating', repeat([1, 2, 3, 4, 5], 30))], 'rating');
    expect(inferTask(rating, 'classification')).toEqual({
      task: 'classification',
      reason: 'the task param, 5 classes',
    });
    expect(inferTask(tableOf([numberColumn('y', [0, 1, 1, 0])], 'y'), 'regression').task).toBe('regression');
    const origin = tableOf([categoryColumn('Origin', ['USA', 'Japan'])], 'Origin');
    expect(() => inferTask(origin, 'regression')).toThrow(
      new DataError('label "Origin": expected a number label for a regression, got a category column'),
    );
    expect(() => inferTask(tableOf([dateColumn('when', ['2020-01-01', '2021-01-01'])], 'when'))).toThrow(DataError);
  });

  it('refuses a classification label with one class, naming the label', () => {
    const weather = tableOf([categoryColumn('weather', ['sun', 'sun', 'sun', undefined], ['sun', 'rain'])], 'weather');
    expect(() => inferTask(weather)).toThrow(
      new DataError('label "weather": expected two or more classes to tell apart, got one ("sun" in all 3 rows)'),
    );
    expect(() => inferTask(tableOf([numberColumn('y', [1, 1, 1])], 'y'))).toThrow(/label "y": .*got one \("1"/);
  });

  it('says when the table names no label, or one it lacks', () => {
    expect(() => inferTask(tableOf([numberColumn('y', [1, 2])]))).toThrow(
      'table: expected a label column to predict, got none',
    );
    expect(() => inferTask({ ...tableOf([numberColumn('y', [1, 2])]), label: 'z' })).toThrow(/label "z"/);
  });
});
