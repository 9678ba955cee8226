import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { formatZodIssues, shapeKeysAt } from './zod-issues.js';

const params = z.strictObject({
  window: z.enum(['expanding', 'sliding']).default('expanding'),
  models: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('persistence') }),
      z.strictObject({ type: z.literal('lstm'), name: z.string().optional(), units: z.number().default(50) }),
    ]),
  ),
});

const issuesOf = (value: unknown) => {
  const parsed = params.safeParse(value);
  if (parsed.success) throw new Error('expected issues');
  return formatZodIssues(parsed.error, 'stages.b.params', (path) => shapeKeysAt(params, path, value), value);
};

describe('formatZodIssues', () => {
  it("suggests a key of the union branch an item's type picks, inside a list", () => {
    expect(issuesOf({ models: [{ type: 'persistence' }, { type: 'lstm', unit: 8 }] })).toEqual([
      'stages.b.params.models.1: unknown key "unit" (did you mean "units"?); expected one of type, name, units',
    ]);
  });

  it("words a misspelt union tag and enum value as expected/got with did-you-mean, never zod's own words", () => {
    const issues = issuesOf({ window: 'slidng', models: [{ type: 'lstmm' }] });
    expect(issues).toEqual([
      'stages.b.params.window: expected one of "expanding", "sliding", got "slidng" (did you mean "sliding"?)',
      'stages.b.params.models.0.type: expected one of "persistence", "lstm", got "lstmm" (did you mean "lstm"?)',
    ]);
    expect(issues.join()).not.toMatch(/Invalid (discriminator|option)/);
  });
});
