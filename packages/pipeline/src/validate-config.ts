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
      formatZodIssues(parsed.error, '', (path) => shapeKeysAt(pipelineConfigSchema, path, raw), raw),
      file,
    );
  }
  const config = parsed.data;
  const issues: string[] = [];
  if (Object.keys(config.stages).length === 0) issues.push('stages: expected at least one stage, got none');
  const stages = new Map<string, ValidatedStage>();
  for (const id of Object.keys(config.stages)) {
    const stage = validateStage(id, config, registry, issues);
    if (stage) stages.set(id, stage);
  }
  const order = stageOrder(config, issues);
  if (issues.length > 0) throw new ConfigError(issues, file);
  return { name: config.name, seed: config.seed, config, stages: order.map((id) => stages.get(id)!) };
}

/** Stage `id` with its params parsed and its inputs wired, or undefined when its type is unknown; problems go to `issues`. */
function validateStage(
  id: string,
  config: PipelineConfig,
  registry: StageRegistry,
  issues: string[],
): ValidatedStage | undefined {
  const entry = config.stages[id];
  const at = `stages.${id}`;
  const definition = registry.get(entry.type);
  if (!definition) {
    issues.push(`${at}.type: unknown stage type "${entry.type}"${registry.suggest(entry.type)}`);
    return undefined;
  }
  const params = definition.params.safeParse(entry.params ?? {});
  if (!params.success) {
    const given = entry.params ?? {};
    issues.push(
      ...formatZodIssues(params.error, `${at}.params`, (path) => shapeKeysAt(definition.params, path, given), given),
    );
  }
  const inputs: Record<string, PortRef> = {};
  for (const [port, reference] of Object.entries(entry.inputs ?? {})) {
    const wired = wireInput({ id, port, reference, definition, config, registry });
    if (typeof wired === 'string') issues.push(`${at}.inputs.${port}: ${wired}`);
    else inputs[port] = wired;
  }
  for (const [port, spec] of Object.entries(definition.inputs)) {
    if (!spec.optional && !entry.inputs?.[port])
      issues.push(`${at}.inputs.${port}: required input of ${entry.type} is not wired`);
  }
  const named = Object.keys(entry.inputs ?? {}).filter(
    (port) => !Object.prototype.hasOwnProperty.call(definition.inputs, port),
  ).length;
  if (definition.namedInputs?.min && named < definition.namedInputs.min) {
    const what = definition.namedInputs.contract?.name ?? definition.namedInputs.kind;
    issues.push(
      `${at}.inputs: ${entry.type} expects at least ${definition.namedInputs.min} named inputs (each a ${what}), got ${named}`,
    );
  }
  return { id, definition, params: params.success ? params.data : undefined, inputs };
}

interface InputWiring {
  /** The reading stage, its input port and what the config wires to it ("<stageId>.<port>"). */
  id: string;
  port: string;
  reference: string;
  definition: AnyStageDefinition;
  config: PipelineConfig;
  registry: StageRegistry;
}

/** Where an input comes from, or what is wrong with its wiring (the problem, without the input's path). */
function wireInput({ id, port, reference, definition, config, registry }: InputWiring): PortRef | string {
  const type = config.stages[id].type;
  const spec = Object.prototype.hasOwnProperty.call(definition.inputs, port)
    ? definition.inputs[port]
    : definition.namedInputs;
  if (!spec) {
    const known = Object.keys(definition.inputs);
    return `${type} has no input "${port}"${didYouMean(port, known)}; its inputs are ${known.join(', ') || 'none'}`;
  }
  const match = /^([^.]+)\.([^.]+)$/.exec(reference);
  if (!match) return `expected "<stageId>.<port>", got "${reference}"`;
  const [, source, sourcePort] = match;
  const sourceEntry = config.stages[source];
  if (!sourceEntry) return `no stage "${source}"${didYouMean(source, Object.keys(config.stages))}`;
  const sourceDefinition = registry.get(sourceEntry.type);
  if (!sourceDefinition) return { stage: source, port: sourcePort }; // its unknown type is its own issue
  const output = sourceDefinition.outputs[sourcePort];
  if (!output) {
    const known = Object.keys(sourceDefinition.outputs);
    return `stage "${source}" (${sourceEntry.type}) has no output "${sourcePort}"${didYouMean(sourcePort, known)}; its outputs are ${known.join(', ')}`;
  }
  // contracts first: they name what flows ("a scaler"), where kinds only name how it is stored
  if (spec.contract && output.contract ? spec.contract.name !== output.contract.name : output.kind !== spec.kind) {
    return `${id}.${port} expects a ${spec.contract?.name ?? spec.kind}, ${source}.${sourcePort} gives a ${output.contract?.name ?? output.kind}`;
  }
  if (output.kind !== spec.kind) {
    // two contracts of one name but different kinds: a plugin reused a built-in contract's name
    return `${id}.${port} expects a ${spec.contract!.name} stored as ${spec.kind}, ${source}.${sourcePort} gives one stored as ${output.kind}`;
  }
  return { stage: source, port: sourcePort };
}

/** The stages in an order where each comes after those it reads from; a cycle is an issue. */
function stageOrder(config: PipelineConfig, issues: string[]): string[] {
  try {
    const dependencies = new Map(
      Object.entries(config.stages).map(([id, entry]) => [
        id,
        Object.values(entry.inputs ?? {}).map((ref) => ref.split('.')[0]),
      ]),
    );
    return topologicalOrder(dependencies);
  } catch (error) {
    if (!(error instanceof CycleError)) throw error;
    issues.push(`stages: cycle between stages ${error.members.join(' -> ')}`);
    return [];
  }
}
