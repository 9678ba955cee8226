import { didYouMean } from './did-you-mean.js';
import type { AnyStageDefinition } from './stage-definition.js';

/** The stage types a run can use; domain packages export arrays of definitions to register. */
export class StageRegistry {
  private readonly stages = new Map<string, AnyStageDefinition>();

  constructor(definitions: Iterable<AnyStageDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: AnyStageDefinition): this {
    if (this.stages.has(definition.type)) throw new Error(`stage type "${definition.type}" is registered twice`);
    this.stages.set(definition.type, definition);
    return this;
  }

  get(type: string): AnyStageDefinition | undefined {
    return this.stages.get(type);
  }

  /** ` (did you mean "x"?)` for an unknown type, or ''. */
  suggest(type: string): string {
    return didYouMean(type, this.stages.keys());
  }

  list(): AnyStageDefinition[] {
    return [...this.stages.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
