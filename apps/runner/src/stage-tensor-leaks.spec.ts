import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tensorCount } from '@stagegraph/core-tensor';
import {
  CodecRegistry,
  executePipeline,
  StageRegistry,
  validateConfig,
  type AnyStageDefinition,
  type Codec,
} from '@stagegraph/pipeline';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom } from 'rxjs';
import { writeGeneratedMnist } from './test-support/generated-digits.js';
import { tinyConfig, tinyWorkspace } from './test-support/tiny-pipeline.js';
import { LazyBackend } from './tensors/lazy-backend.js';
import { workspaceCodecs, workspaceStages } from './workspace-registry.js';

/**
 * After every stage, the tensors alive are the baseline plus what the stages' outputs hold: each
 * stage's run adds exactly the tensors that disposing its outputs frees again. Measured with stages
 * and codecs wrapped to count, on a second run (the first warms up backend caches).
 */
async function stageLeaks(
  config: unknown,
  workDir: string,
): Promise<{ added: Record<string, number>; freed: Record<string, number>; finalDelta: number }> {
  const added: Record<string, number> = {};
  const freed: Record<string, number> = {};
  const owner = new WeakMap<object, string>();
  const stages = new StageRegistry(
    workspaceStages()
      .list()
      .map((definition): AnyStageDefinition => ({
        ...definition,
        async run(inputs, params, ctx) {
          const before = tensorCount();
          const result = definition.run(inputs, params, ctx);
          const outputs = await (result instanceof Promise ? result : lastValueFrom(result));
          added[ctx.stageId] = tensorCount() - before;
          for (const value of Object.values(outputs))
            if (value && typeof value === 'object') owner.set(value, ctx.stageId);
          return outputs;
        },
      })),
  );
  const base = workspaceCodecs();
  const codecs = new CodecRegistry(
    ['json', 'metrics', 'tensor', 'model', 'figure'].map((kind): Codec => {
      const codec = base.get(kind);
      return {
        ...codec,
        dispose(value) {
          const before = tensorCount();
          codec.dispose?.(value);
          const stage = owner.get(value as object);
          if (stage) freed[stage] = (freed[stage] ?? 0) + before - tensorCount();
        },
      };
    }),
  );
  const pipeline = validateConfig(config, stages);
  const start = tensorCount();
  // one stage at a time, so each count is that stage's own
  await lastValueFrom(executePipeline(pipeline, { codecs, workDir, concurrency: 1 }));
  for (const id of Object.keys(added)) freed[id] ??= 0;
  return { added, freed, finalDelta: tensorCount() - start };
}

let stockDir: string;
let mnistDir: string;
const pipelinesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines');
beforeAll(async () => {
  // as a run does before its first stage computes: the backend, and the tensor runtime the codecs dispose values through
  await new LazyBackend({ backend: 'wasm' }).select();
  stockDir = (await tinyWorkspace(200)).dir;
  mnistDir = await mkdtemp(join(tmpdir(), 'sg-leaks-'));
  await writeGeneratedMnist(join(mnistDir, 'digits'), { train: 10, test: 5 });
});
afterAll(async () => {
  await rm(stockDir, { recursive: true, force: true });
  await rm(mnistDir, { recursive: true, force: true });
});

describe('no stage leaks tensors', () => {
  it('in the stock forecasting pipeline', async () => {
    const config = tinyConfig('prices.csv');
    await stageLeaks(config, stockDir);
    const { added, freed, finalDelta } = await stageLeaks(config, stockDir);
    expect(Object.keys(added)).toHaveLength(11);
    expect(added).toEqual(freed);
    expect(added.train).toBeGreaterThan(0); // the model and its optimizer state, freed with it
    expect(finalDelta).toBe(0);
  });

  it('in the MNIST pipeline', async () => {
    const config = JSON.parse(await readFile(join(pipelinesDir, 'mnist-cnn.json'), 'utf8'));
    config.stages.data.params = { dataDir: 'digits' };
    config.stages.train.params = {
      ...config.stages.train.params,
      epochs: 1,
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3 },
        { type: 'maxPooling2d' },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    };
    await stageLeaks(config, mnistDir);
    const { added, freed, finalDelta } = await stageLeaks(config, mnistDir);
    expect(Object.keys(added)).toHaveLength(8);
    expect(added).toEqual(freed);
    expect(finalDelta).toBe(0);
  });
});
