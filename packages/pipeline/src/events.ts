import type { StageProgress } from './stage-definition.js';

export interface PlannedStage {
  id: string;
  type: string;
  /** From the config and the recipe keys upstream: known before anything runs. */
  recipeKey: string;
  /** The cache entry the recipe resolved to in an earlier run, when there is one. */
  key?: string;
  /** An entry exists for the recipe (it may still prove corrupt on load). */
  cached: boolean;
}

/** The one typed event stream a run emits; the CLI renders it, `--json` prints it as lines. */
export type RunEvent =
  | { type: 'run-start'; pipeline: string; stages: PlannedStage[]; time: string }
  | { type: 'stage-start'; stageId: string; stageType: string; key: string; cached: boolean }
  | { type: 'stage-progress'; stageId: string; progress: StageProgress }
  | { type: 'stage-log'; stageId: string; level: 'info' | 'warn'; message: string }
  | {
      type: 'stage-end';
      stageId: string;
      stageType: string;
      /** The cache entry (keyed by the content of the stage's inputs) its result is stored under. */
      key: string;
      /** Served from the cache rather than computed. */
      cached: boolean;
      /** False for a cached stage whose outputs no other stage needed: nothing was read. */
      loaded: boolean;
      durationMs: number;
      /** The stage's outputs, valid until the run ends (not part of the JSON lines). */
      outputs?: Record<string, unknown>;
    }
  | { type: 'stage-error'; stageId: string; message: string }
  | { type: 'run-end'; durationMs: number };

/** An event as a JSON line: outputs are live values and stay out. */
export function eventToJson(event: RunEvent): string {
  if (event.type === 'stage-end') {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { outputs, ...rest } = event;
    return JSON.stringify(rest);
  }
  return JSON.stringify(event);
}
