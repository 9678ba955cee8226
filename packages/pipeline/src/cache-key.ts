import { canonicalJson, sha256 } from './canonical-json.js';

export interface CacheKeyMaterial {
  type: string;
  version: number;
  params: unknown;
  seed: number;
  /** For each input port: `<upstream key>:<upstream port>`. */
  inputs: Record<string, string>;
  /** What the params do not say but the result depends on (an input file's hash), if anything. */
  fingerprint?: string;
}

/** sha256 of the canonical JSON of everything a stage's result depends on. */
export function cacheKey(material: CacheKeyMaterial): string {
  return sha256(canonicalJson(material));
}

/** A stage's own seed: the config's seed mixed with the stage id, so stages draw different numbers. */
export function stageSeed(configSeed: number, stageId: string): number {
  return parseInt(sha256(`${configSeed}:${stageId}`).slice(0, 8), 16) & 0x7fffffff;
}
