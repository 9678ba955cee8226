import { modelCodec, tensorCodec } from '@stagegraph/core-tensor';
import { metricsStages } from '@stagegraph/metrics';
import { modelsCnnStages } from '@stagegraph/models-cnn';
import { modelsLstmStages } from '@stagegraph/models-lstm';
import { CodecRegistry, StageRegistry } from '@stagegraph/pipeline';
import { preprocessStages } from '@stagegraph/preprocess';
import { figureCodec, vizStages } from '@stagegraph/viz';

/** Every stage type the CLI knows: the stages of each domain package. */
export function workspaceStages(): StageRegistry {
  return new StageRegistry([...preprocessStages, ...modelsLstmStages, ...modelsCnnStages, ...metricsStages, ...vizStages]);
}

/** How each port kind is stored: json and metrics from the engine, tensors and models, figures. */
export function workspaceCodecs(): CodecRegistry {
  return new CodecRegistry().register(tensorCodec).register(modelCodec).register(figureCodec);
}
