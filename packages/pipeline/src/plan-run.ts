import { cacheKey, stageSeed } from './cache-key.js';
import type { CacheStore } from './cache-store.js';
import { namingStage } from './stage-errors.js';
import type { PlannedStage } from './events.js';
import type { PortRef, ValidatedPipeline, ValidatedStage } from './validate-config.js';

export interface PlannedNode extends PlannedStage {
  stage: ValidatedStage;
  seed: number;
  fingerprint?: string;
}

/**
 * Before anything runs: each stage's recipe key (config, seed, fingerprint and the recipe keys
 * upstream) and whether the cache already resolved that recipe to an entry. Nothing is read or
 * downloaded but fingerprints and the cache's recipe links.
 */
export async function planRun(
  pipeline: ValidatedPipeline,
  options: { cache?: CacheStore; force?: boolean },
  workDir: string,
): Promise<Map<string, PlannedNode>> {
  const plan = new Map<string, PlannedNode>();
  for (const stage of pipeline.stages) {
    const { definition } = stage;
    const seed = stageSeed(pipeline.seed, stage.id);
    const fingerprint = definition.fingerprint
      ? await definition
          .fingerprint(stage.params, { workDir })
          .catch((error: unknown) => Promise.reject(namingStage(error, { id: stage.id, type: definition.type })))
      : undefined;
    const recipeKey = stageKey(stage, seed, fingerprint, (ref) => `${plan.get(ref.stage)!.recipeKey}:${ref.port}`);
    const key = !options.force && options.cache ? await options.cache.recipe(recipeKey) : undefined;
    plan.set(stage.id, {
      id: stage.id,
      type: definition.type,
      recipeKey,
      key,
      cached: key !== undefined,
      stage,
      seed,
      fingerprint,
    });
  }
  return plan;
}

/**
 * The key a stage's result is stored under: its recipe with each input named by the content hash
 * of the output it reads. An upstream change that yields identical output gives the same key, so
 * recomputation stops there (early cutoff). Without hashes (no cache) it is the recipe key.
 */
export function entryKey(node: PlannedNode, inputHashes: Record<string, string | undefined>): string {
  if (Object.values(inputHashes).some((hash) => hash === undefined)) return node.recipeKey;
  return stageKey(node.stage, node.seed, node.fingerprint, (_ref, port) => inputHashes[port]!);
}

/** The one key formula, recipe or entry: what names each input is the only difference. */
function stageKey(
  stage: ValidatedStage,
  seed: number,
  fingerprint: string | undefined,
  nameInput: (ref: PortRef, port: string) => string,
): string {
  const { definition, params } = stage;
  const inputs = Object.fromEntries(Object.entries(stage.inputs).map(([port, ref]) => [port, nameInput(ref, port)]));
  return cacheKey({ type: definition.type, version: definition.version, params, seed, inputs, fingerprint });
}
