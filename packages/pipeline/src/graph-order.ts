/**
 * Topological order of a graph given as node -> the nodes it depends on. Throws with the members of
 * a cycle, in order, when there is one.
 */
export function topologicalOrder(dependencies: Map<string, string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(node)), node];
      throw new CycleError(cycle);
    }
    state.set(node, 'visiting');
    stack.push(node);
    for (const dependency of dependencies.get(node) ?? []) if (dependencies.has(dependency)) visit(dependency);
    stack.pop();
    state.set(node, 'done');
    order.push(node);
  };
  for (const node of [...dependencies.keys()].sort()) visit(node);
  return order;
}

export class CycleError extends Error {
  constructor(readonly members: string[]) {
    super(`cycle: ${members.join(' -> ')}`);
  }
}
