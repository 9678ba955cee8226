export { canonicalJson, sha256 } from './canonical-json.js';
export {
  defineContract,
  port,
  type CheckedContractSpec,
  type Contract,
  type ContractValue,
  type SchemaContractSpec,
} from './contract.js';
export { shapeOf } from './value-shape.js';
export { processAlive, tempPathFor, writeFileAtomic } from './atomic-write.js';
export { SeededRandom } from './seeded-random.js';
export { cacheKey, stageSeed, type CacheKeyMaterial } from './cache-key.js';
export { CacheStore, CorruptEntryError, type CacheManifest } from './cache-store.js';
export type { CacheRemote } from './cache-remote.js';
export { CodecRegistry, jsonCodec, metricsCodec, type Codec } from './codec.js';
export { pipelineConfigSchema, STAGE_ID, type PipelineConfig, type StageEntry } from './config-schema.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { formatZodIssues } from './zod-issues.js';
export {
  CancelledError,
  ConfigError,
  DataError,
  StageFault,
  UserInputError,
  isUserInputError,
  throwIfCancelled,
} from './errors.js';
export { eventToJson, type PlannedStage, type RunEvent } from './events.js';
export { concurrencySlots } from './concurrency-slots.js';
export { executePipeline, type ExecuteOptions } from './executor.js';
export { checkOutputContracts, runStage, saveStageResult } from './run-stage.js';
export type { DispatchedStage, StageDispatcher } from './stage-dispatcher.js';
export { computeDispatchedStage, KeyMismatchError, type DispatchedRunOptions } from './compute-dispatched.js';
export { entryKey, planRun, type PlannedNode } from './plan-run.js';
export { graphAsJson, graphAsMermaid, graphAsSvg, graphAsText } from './graph-render.js';
export { paramsJsonSchema, pipelineJsonSchema } from './json-schema.js';
export { loadPipeline, readConfig, registryFor } from './load-config.js';
export { checkStageData } from './check-stage-data.js';
export { applyOverrides } from './overrides.js';
export { valueAtPath } from './override-path.js';
export { parseJsonStrict } from './parse-json.js';
export { notAFile, readDataFile, unreadable } from './read-data-file.js';
export { locatedPath, resolveDataPath } from './resolve-data-path.js';
export { escapeControlCharacters, quoteData } from './quote-data.js';
export {
  defineStage,
  type AnyStageDefinition,
  type FingerprintContext,
  type InputPort,
  type InputPorts,
  type NamedInputPort,
  type OutputPort,
  type OutputPorts,
  type PortValue,
  type PortKind,
  type StageCheckContext,
  type StageContext,
  type StageDefinition,
  type StageInputs,
  type StageInputValues,
  type StageOutputs,
  type StageOutputValues,
  type StageProgress,
} from './stage-definition.js';
export { sweepSchema, type Sweep, type SweepValues } from './sweep-schema.js';
export { halvingRungs, planTrials, type HalvingRung, type TrialParams } from './sweep-trials.js';
export { StageRegistry } from './stage-registry.js';
export { loadPlugins, registryOf, type NamedPlugin, type StagePlugin } from './plugins.js';
export { validateConfig, type PortRef, type ValidatedPipeline, type ValidatedStage } from './validate-config.js';
