import type { PortKind } from './stage-definition.js';

/**
 * What flows through a port, defined once and imported by every stage that makes or reads it: a
 * name `validate` compares across a wire, the codec kind that stores it, and a run-time check.
 */
export interface Contract {
  readonly name: string;
  readonly kind: PortKind;
  /** Undefined when `value` fits, else what was expected and what came, for one line of error. */
  readonly check?: (value: unknown) => string | undefined;
}

export function defineContract(contract: Contract): Contract {
  return Object.freeze(contract);
}

/** A port carrying a contract: its kind comes from the contract, so the two cannot disagree. */
export function port<const Extra extends { optional?: boolean; description?: string }>(contract: Contract, extra?: Extra): { kind: PortKind; contract: Contract } & Extra {
  return { kind: contract.kind, contract, ...(extra as Extra) };
}
