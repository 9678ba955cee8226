import { describe, expect, it } from '@jest/globals';
import { chooseType, type ColumnFacts } from './infer-type.js';

const facts = (over: Partial<ColumnFacts>): ColumnFacts => ({
  name: 'c',
  sqlType: 'VARCHAR',
  rows: 100,
  missing: 0,
  distinct: 3,
  isLabel: false,
  ...over,
});

describe('chooseType', () => {
  it('types columns from DuckDB types and counts', () => {
    expect(chooseType(facts({ sqlType: 'BIGINT', distinct: 3 }))).toEqual({ type: 'number' });
    expect(chooseType(facts({ sqlType: 'DECIMAL(10,2)' }))).toEqual({ type: 'number' });
    expect(chooseType(facts({ sqlType: 'BOOLEAN', distinct: 2 }))).toEqual({ type: 'boolean' });
    expect(chooseType(facts({ sqlType: 'DATE' }))).toEqual({ type: 'date' });
    expect(chooseType(facts({ dates: 100 }))).toEqual({ type: 'date' });
    expect(chooseType(facts({ dates: 99 }))).toEqual({ type: 'category' });
  });

  it('drops identifiers, constants, all-missing and nested columns, but never the label', () => {
    expect(chooseType(facts({ distinct: 80 }))).toEqual({ drop: expect.stringMatching(/^an identifier/) });
    expect(chooseType(facts({ distinct: 80, isLabel: true }))).toEqual({ type: 'category' });
    expect(chooseType(facts({ distinct: 1 }))).toEqual({ drop: 'a single value' });
    expect(chooseType(facts({ missing: 100, distinct: 0 }))).toEqual({ drop: 'all missing' });
    expect(chooseType(facts({ sqlType: 'STRUCT(a INTEGER)' }))).toEqual({ drop: expect.stringMatching(/STRUCT/) });
    expect(chooseType(facts({ distinct: 80, override: 'category' }))).toEqual({ type: 'category' });
  });
});
