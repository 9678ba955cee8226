import { modelCodec, tensorCodec } from '@stagegraph/core-tensor';
import { metricsStages } from '@stagegraph/metrics';
import { modelsCnnStages } from '@stagegraph/models-cnn';
import { modelsLstmStages } from '@stagegraph/models-lstm';
import { CodecRegistry, registryOf, type NamedPlugin, type StageRegistry } from '@stagegraph/pipeline';
import { preprocessStages } from '@stagegraph/preprocess';
import { figureCodec, vizStages } from '@stagegraph/viz';

/** The stages of each domain package, as plugins: what every run starts from, before a config's own. */
export const BUILT_IN_PLUGINS: readonly NamedPlugin[] = [
  { name: '@stagegraph/preprocess', plugin: { stages: preprocessStages } },
  { name: '@stagegraph/models-lstm', plugin: { stages: modelsLstmStages } },
  { name: '@stagegraph/models-cnn', plugin: { stages: modelsCnnStages } },
  { name: '@stagegraph/metrics', plugin: { stages: metricsStages } },
  { name: '@stagegraph/viz', plugin: { stages: vizStages } },
];

/** Every built-in stage type. */
export function workspaceStages(): StageRegistry {
  return registryOf(BUILT_IN_PLUGINS);
}

/** How each port kind is stored: json and metrics from the engine, tensors and models, figures. */
export function workspaceCodecs(): CodecRegistry {
  return new CodecRegistry().register(tensorCodec).register(modelCodec).register(figureCodec);
}
