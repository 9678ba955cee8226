import { z } from 'zod';
import { sweepSchema } from './sweep-schema.js';
import type { AnyStageDefinition, InputPort } from './stage-definition.js';
import type { StageRegistry } from './stage-registry.js';

/** A stage's params as JSON Schema, as a config writes them (defaults optional): for the config schema and for docs. */
export function paramsJsonSchema(stage: AnyStageDefinition): Record<string, unknown> {
  return z.toJSONSchema(stage.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * A JSON Schema for config files, built from the registered stages, so editors complete stage
 * types, params and input ports (`"$schema": "../pipeline.schema.json"` in a config).
 */
export function pipelineJsonSchema(registry: StageRegistry): Record<string, unknown> {
  const stageVariants = registry.list().map((definition) => ({
    type: 'object',
    description: definition.description,
    properties: {
      type: { const: definition.type },
      description: { type: 'string' },
      params: withoutMeta(paramsJsonSchema(definition)),
      inputs: {
        type: 'object',
        additionalProperties: definition.namedInputs ? inputRef(definition.namedInputs) : false,
        properties: Object.fromEntries(Object.entries(definition.inputs).map(([port, spec]) => [port, inputRef(spec)])),
        required: Object.entries(definition.inputs)
          .filter(([, spec]) => !spec.optional)
          .map(([port]) => port),
      },
    },
    required: ['type'],
    additionalProperties: false,
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema', // the draft zod's toJSONSchema writes params in
    title: 'StageGraph pipeline',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      plugins: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'modules exporting `stages`: paths relative to this file, or package names',
      },
      seed: { type: 'integer', minimum: 0, default: 42 },
      sweep: {
        ...withoutMeta(z.toJSONSchema(sweepSchema, { io: 'input' }) as Record<string, unknown>),
        description: 'several runs over a search space: stagegraph sweep',
      },
      stages: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
        additionalProperties: { oneOf: stageVariants },
      },
    },
    required: ['name', 'stages'],
    additionalProperties: false,
  };
}

const inputRef = (spec: InputPort) => ({
  type: 'string',
  pattern: '^[^.]+\\.[^.]+$',
  description: `${spec.contract?.name ?? spec.kind}${spec.optional ? ' (optional)' : ''}: "<stageId>.<port>"`,
});

function withoutMeta(schema: Record<string, unknown>): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { $schema, ...rest } = schema;
  return rest;
}
