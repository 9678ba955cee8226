// one definition, in the engine: every package (and plugin) imports the same contract and type
export type { Series } from '@stagegraph/pipeline';
