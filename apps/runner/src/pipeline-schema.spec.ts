import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pipelineJsonSchema, readConfig, registryFor } from '@stagegraph/pipeline';
import { BUILT_IN_PLUGINS, workspaceStages } from './workspace-registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shipped = async () => [
  ...(await readdir(join(root, 'pipelines')))
    .filter((name) => name.endsWith('.json') && name !== 'pipeline.schema.json')
    .map((name) => join(root, 'pipelines', name)),
  ...(await readdir(join(root, 'examples'))).map((name) => join(root, 'examples', name, 'pipeline.json')),
];
/** A standard validator for the draft the schema declares, with its plugins' stages when the config has some. */
const validatorFor = async (file: string) => {
  const schema = pipelineJsonSchema(await registryFor(readConfig(file), BUILT_IN_PLUGINS, file));
  return new Ajv2020({ allErrors: true, strict: false }).compile(schema);
};

describe('the generated JSON Schema, checked by a standard validator (ajv, draft 2020-12)', () => {
  it('declares the draft it is written in', () => {
    expect(pipelineJsonSchema(workspaceStages()).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts every config the project ships', async () => {
    const files = await shipped();
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const validate = await validatorFor(file);
      expect([file, validate(JSON.parse(await readFile(file, 'utf8'))), validate.errors]).toEqual([file, true, null]);
    }
  });

  it('accepts tuple params such as kernelSize [3, 3], and refuses a param of the wrong type', async () => {
    const validate = await validatorFor(join(root, 'pipelines', 'mnist-cnn.json'));
    const config = JSON.parse(await readFile(join(root, 'pipelines', 'mnist-cnn.json'), 'utf8'));
    config.stages.train.params.layers = [
      { type: 'conv2d', filters: 8, kernelSize: [3, 3] },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    expect([validate(config), validate.errors]).toEqual([true, null]);
    config.stages.train.params.epochs = 'ten';
    expect(validate(config)).toBe(false);
  });

  it('describes every param of every stage', () => {
    const schema = pipelineJsonSchema(workspaceStages()) as {
      properties: {
        stages: {
          additionalProperties: {
            oneOf: {
              properties: {
                type: { const: string };
                params: { properties?: Record<string, { description?: string }> };
              };
            }[];
          };
        };
      };
    };
    const undescribed = schema.properties.stages.additionalProperties.oneOf.flatMap((variant) =>
      Object.entries(variant.properties.params.properties ?? {})
        .filter(([, param]) => !param.description)
        .map(([name]) => `${variant.properties.type.const}.${name}`),
    );
    expect(undescribed).toEqual([]);
  });
});
