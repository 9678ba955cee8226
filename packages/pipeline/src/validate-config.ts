import { pipelineConfigSchema, type PipelineConfig } from './config-schema.js';
import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';
import { CycleError, topologicalOrder } from './graph-order.js';
import type { AnyStageDefinition } from './stage-definition.js';
import type { StageRegistry } from './stage-registry.js';
import { formatZodIssues, shapeKeysAt } from './zod-issues.js';

export interface PortRef {
  stage: string;
  port: string;
}

export interface ValidatedStage {
  id: string;
  definition: AnyStageDefinition;
  /** Params after the stage's schema applied its defaults. */
  params: unknown;
  inputs: Record<string, PortRef>;
}

export interface ValidatedPipeline {
  name: string;
  seed: number;
  config: PipelineConfig;
  /** Stages in an order where every stage comes after the stages it reads from. */
  stages: ValidatedStage[];
}

/**
 * Checks a parsed config against the registered stages before anything runs. Every problem found
 * becomes one line with its JSON path; all of them are thrown together as one ConfigError.
 */
export function validateConfig(raw: unknown, registry: StageRegistry, file?: string): ValidatedPipeline {
  const parsed = pipelineConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      formatZodIssues(parsed.error, '', (path) => shapeKeysAt(pipelineConfigSchema, path)),
      file,
    );
  }
  const config = parsed.data;
  const issues: string[] = [];
  const stageIds = Object.keys(config.stages);
  if (stageIds.length === 0) issues.push('stages: expected at least one stage, got none');

  const stages = new Map<string, ValidatedStage>();
  for (const [id, entry] of Object.entries(config.stages)) {
    const at = `stages.${id}`;
    const definition = registry.get(entry.type);
    if (!definition) {
      issues.push(`${at}.type: unknown stage type "${entry.type}"${registry.suggest(entry.type)}`);
      continue;
    }
    const params = definition.params.safeParse(entry.params ?? {});
    if (!params.success) {
      issues.push(...formatZodIssues(params.error, `${at}.params`, (path) => shapeKeysAt(definition.params, path)));
    }
    const inputs: Record<string, PortRef> = {};
    for (const [port, reference] of Object.entries(entry.inputs ?? {})) {
      const inputAt = `${at}.inputs.${port}`;
      const spec = Object.prototype.hasOwnProperty.call(definition.inputs, port) ? definition.inputs[port] : definition.namedInputs;
      if (!spec) {
        const known = Object.keys(definition.inputs);
        issues.push(`${inputAt}: ${entry.type} has no input "${port}"${didYouMean(port, known)}; its inputs are ${known.join(', ') || 'none'}`);
        continue;
      }
      const match = /^([^.]+)\.([^.]+)$/.exec(reference);
      if (!match) {
        issues.push(`${inputAt}: expected "<stageId>.<port>", got "${reference}"`);
        continue;
      }
      const [, source, sourcePort] = match;
      const sourceEntry = config.stages[source];
      if (!sourceEntry) {
        issues.push(`${inputAt}: no stage "${source}"${didYouMean(source, stageIds)}`);
        continue;
      }
      const sourceDefinition = registry.get(sourceEntry.type);
      if (sourceDefinition) {
        const output = sourceDefinition.outputs[sourcePort];
        const known = Object.keys(sourceDefinition.outputs);
        if (!output) {
          issues.push(`${inputAt}: stage "${source}" (${sourceEntry.type}) has no output "${sourcePort}"${didYouMean(sourcePort, known)}; its outputs are ${known.join(', ')}`);
          continue;
        }
        // contracts first: they name what flows ("a scaler"), where kinds only name how it is stored
        if (spec.contract && output.contract ? spec.contract.name !== output.contract.name : output.kind !== spec.kind) {
          const expects = spec.contract?.name ?? spec.kind;
          const gives = output.contract?.name ?? output.kind;
          issues.push(`${inputAt}: ${id}.${port} expects a ${expects}, ${source}.${sourcePort} gives a ${gives}`);
          continue;
        }
        if (output.kind !== spec.kind) {
          // two contracts of one name but different kinds: a plugin reused a built-in contract's name
          issues.push(`${inputAt}: ${id}.${port} expects a ${spec.contract!.name} stored as ${spec.kind}, ${source}.${sourcePort} gives one stored as ${output.kind}`);
          continue;
        }
      }
      inputs[port] = { stage: source, port: sourcePort };
    }
    for (const [port, spec] of Object.entries(definition.inputs)) {
      if (!spec.optional && !entry.inputs?.[port]) issues.push(`${at}.inputs.${port}: required input of ${entry.type} is not wired`);
    }
    const named = Object.keys(entry.inputs ?? {}).filter((port) => !Object.prototype.hasOwnProperty.call(definition.inputs, port)).length;
    if (definition.namedInputs?.min && named < definition.namedInputs.min) {
      const what = definition.namedInputs.contract?.name ?? definition.namedInputs.kind;
      issues.push(`${at}.inputs: ${entry.type} expects at least ${definition.namedInputs.min} named inputs (each a ${what}), got ${named}`);
    }
    stages.set(id, { id, definition, params: params.success ? params.data : undefined, inputs });
  }

  let order: string[] = [];
  try {
    const dependencies = new Map(Object.entries(config.stages).map(([id, entry]) => [id, Object.values(entry.inputs ?? {}).map((ref) => ref.split('.')[0])]));
    order = topologicalOrder(dependencies);
  } catch (error) {
    if (!(error instanceof CycleError)) throw error;
    issues.push(`stages: cycle between stages ${error.members.join(' -> ')}`);
  }
  if (issues.length > 0) throw new ConfigError(issues, file);
  return { name: config.name, seed: config.seed, config, stages: order.map((id) => stages.get(id)!) };
}
