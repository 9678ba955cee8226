// one definition, in @stagegraph/contracts: every package (and plugin) imports the same contract and type
export type { Series } from '@stagegraph/contracts';
