import type { z } from 'zod';
import type { PortKind } from './stage-definition.js';
import { shapeOf, valueAt } from './value-shape.js';

/** Type-level only: carries a contract's value type (no such property exists at run time). */
declare const VALUE: unique symbol;

/**
 * What flows through a port, defined once and imported by every stage that makes or reads it: a
 * name `validate` compares across a wire, the codec kind that stores it, a run-time check, and (at
 * compile time) the type of its values, which a port carrying it gives the stage's `run`.
 */
export interface Contract<T = unknown> {
  readonly name: string;
  readonly kind: PortKind;
  /** Undefined when `value` fits, else what was expected and what came, for one line of error. */
  readonly check?: (value: unknown) => string | undefined;
  /** The schema the check and the type come from, for a contract defined by one. */
  readonly schema?: z.ZodType<T>;
  readonly [VALUE]?: T;
}

/** The type of a contract's values: `type Series = ContractValue<typeof SERIES>`. */
export type ContractValue<C> = C extends Contract<infer T> ? T : never;

/** A contract whose check and type both come from one zod schema. */
export interface SchemaContractSpec<S extends z.ZodType> {
  readonly name: string;
  readonly kind: PortKind;
  readonly schema: S;
  /**
   * What a value must be, as the check's message says it: `expected <expected>, got <what came>`.
   * A refinement's own message (`.refine(fn, { error })`, `ctx.addIssue({ message })`) is used
   * instead, as it is.
   */
  readonly expected: string;
}

/** A contract with a hand-written check (a tensor's rank read structurally, a class): its type is given. */
export interface CheckedContractSpec {
  readonly name: string;
  readonly kind: PortKind;
  readonly check?: (value: unknown) => string | undefined;
}

export function defineContract<S extends z.ZodType>(spec: SchemaContractSpec<S>): Contract<z.output<S>>;
export function defineContract<T = unknown>(spec: CheckedContractSpec): Contract<T>;
export function defineContract(spec: SchemaContractSpec<z.ZodType> | CheckedContractSpec): Contract {
  if (!('schema' in spec)) return Object.freeze({ ...spec });
  const { name, kind, schema, expected } = spec;
  return Object.freeze({ name, kind, schema, check: schemaCheck(schema, expected) });
}

/** Marks an issue that has no message of the schema's own, so the contract words it. */
const GENERIC = '\u0000generic';

function schemaCheck(schema: z.ZodType, expected: string): (value: unknown) => string | undefined {
  return (value) => {
    const result = schema.safeParse(value, { error: () => GENERIC });
    if (result.success) return undefined;
    const own = result.error.issues.find((issue) => issue.message !== GENERIC);
    if (own) return own.message;
    const [first] = result.error.issues;
    const path = first?.path ?? [];
    return `expected ${expected}, got ${shapeOf(value)}${path.length ? ` (${pathText(path)}: ${shapeOf(valueAt(value, path))})` : ''}`;
  };
}

/** `epochs[3].loss`: where in a value a problem is. */
const pathText = (path: readonly PropertyKey[]): string =>
  path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');

/** A port carrying a contract: its kind comes from the contract, so the two cannot disagree; its values have the contract's type. */
export function port<T, const Extra extends { optional?: boolean; description?: string }>(
  contract: Contract<T>,
  extra?: Extra,
): { kind: PortKind; contract: Contract<T> } & Extra {
  return { kind: contract.kind, contract, ...(extra as Extra) };
}
