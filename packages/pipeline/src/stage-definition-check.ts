import { z } from 'zod';
import { STAGE_TYPE } from './stage-definition.js';
import { shapeOf } from './value-shape.js';
import { formatZodIssues } from './zod-issues.js';

/** A scalar as written (`"x"`, `0`), anything else by its shape. */
const literal = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : shapeOf(value);

const aFunction = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function', {
  error: (issue) => `expected a function, got ${shapeOf(issue.input)}`,
});

/** A zod 4 schema: what validate parses params with and `schema` turns into JSON Schema (instanceof holds across copies of zod 4). */
const zodSchema = z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
  error: ({ input }) => {
    const zod3 = typeof input === 'object' && input !== null && '_def' in input && !('_zod' in input);
    return `expected a zod schema (zod 4), got ${zod3 ? 'a zod 3 schema' : shapeOf(input)}`;
  },
});

const contractSchema = z.object(
  { name: z.string(), kind: z.string(), check: aFunction.optional() },
  { error: (issue) => `expected a contract made with defineContract, got ${shapeOf(issue.input)}` },
);

/** A port, `{ kind, contract? }`: its kind is its contract's, and one a codec stores. */
function portSchema(portKinds: ReadonlySet<string> | undefined, extra: z.ZodRawShape = {}) {
  return z
    .object(
      {
        kind: z.string({ error: (issue) => `expected a port kind (a string), got ${shapeOf(issue.input)}` }),
        contract: contractSchema.optional(),
        optional: z.boolean().optional(),
        description: z.string().optional(),
        ...extra,
      },
      { error: (issue) => `expected a port ({ kind, contract? }), got ${shapeOf(issue.input)}` },
    )
    .superRefine((port, ctx) => {
      const { kind, contract } = port as { kind: string; contract?: { name: string; kind: string } };
      const from = contract ? ` (from contract "${contract.name}")` : '';
      if (contract && contract.kind !== kind) {
        ctx.addIssue({
          code: 'custom',
          path: ['kind'],
          message: `expected "${contract.kind}", the kind of its contract "${contract.name}", got "${kind}"`,
        });
      } else if (portKinds && !portKinds.has(kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['kind'],
          message: `expected a port kind with a codec (${[...portKinds].join(', ')}), got "${kind}"${from}`,
        });
      }
    });
}

/** What the engine reads of a stage definition, checked once when its plugin is loaded. */
function definitionSchema(portKinds: ReadonlySet<string> | undefined) {
  const ports = z.record(z.string(), portSchema(portKinds), {
    error: (issue) => `expected an object of ports ({ kind, contract? } each), got ${shapeOf(issue.input)}`,
  });
  return z.object({
    type: z.custom<string>((type) => typeof type === 'string' && STAGE_TYPE.test(type), {
      error: (issue) => `expected "package.name" in lower case, got ${literal(issue.input)}`,
    }),
    version: z.custom<number>((version) => Number.isInteger(version) && (version as number) >= 1, {
      error: (issue) => `expected a whole number from 1, got ${literal(issue.input)}`,
    }),
    description: z.string({ error: (issue) => `expected a string, got ${shapeOf(issue.input)}` }),
    params: zodSchema,
    inputs: ports,
    namedInputs: portSchema(portKinds, { min: z.int().min(0).optional() }).optional(),
    outputs: ports.refine((outputs) => Object.keys(outputs).length > 0, {
      error: 'expected at least one output port, got none',
    }),
    prefersThreads: z.boolean().optional(),
    fingerprint: aFunction.optional(),
    check: aFunction.optional(),
    run: aFunction,
  });
}

/**
 * What is wrong with a plugin's stage definition, as one line (`params: expected a zod schema...;
 * run: ...`), or undefined when nothing is: a malformed definition would otherwise fail deep in the
 * engine with a raw JavaScript message. `portKinds`: the kinds a codec stores.
 */
export function stageDefinitionProblem(stage: unknown, portKinds?: ReadonlySet<string>): string | undefined {
  if (typeof stage !== 'object' || stage === null || Array.isArray(stage))
    return `expected a stage made with defineStage, got ${shapeOf(stage)}`;
  const checked = definitionSchema(portKinds).safeParse(stage);
  return checked.success ? undefined : formatZodIssues(checked.error, '').join('; ');
}
