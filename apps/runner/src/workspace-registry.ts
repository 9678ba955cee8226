import * as forecast from '@stagegraph/forecast/stages';
import * as metrics from '@stagegraph/metrics/stages';
import * as modelsClassical from '@stagegraph/models-classical/stages';
import * as modelsCnn from '@stagegraph/models-cnn/stages';
import * as modelsLstm from '@stagegraph/models-lstm/stages';
import { registryOf, type NamedPlugin, type StageRegistry } from '@stagegraph/pipeline';
import * as preprocess from '@stagegraph/preprocess/stages';
import * as preprocessTensors from '@stagegraph/preprocess/tensor-stages';
import * as tables from '@stagegraph/tables/stages';
import * as viz from '@stagegraph/viz/stages';

/**
 * The domain packages, registered exactly as a config's `plugins` are: each module's `stages`
 * export. What every run starts from, before a config's own. Each comes from the package's
 * `/stages` entry, the same stages as its main entry but without the code they run: importing
 * them loads no TensorFlow.js, Vega or sharp (a stage loads those when it runs).
 */
export const BUILT_IN_PLUGINS: readonly NamedPlugin[] = [
  { name: '@stagegraph/preprocess', plugin: preprocess },
  { name: '@stagegraph/preprocess/tensors', plugin: preprocessTensors },
  { name: '@stagegraph/models-lstm', plugin: modelsLstm },
  { name: '@stagegraph/models-cnn', plugin: modelsCnn },
  { name: '@stagegraph/models-classical', plugin: modelsClassical },
  { name: '@stagegraph/metrics', plugin: metrics },
  { name: '@stagegraph/forecast', plugin: forecast },
  { name: '@stagegraph/viz', plugin: viz },
  { name: '@stagegraph/tables', plugin: tables },
];

/** Every built-in stage type. */
export function workspaceStages(): StageRegistry {
  return registryOf(BUILT_IN_PLUGINS);
}

export { PORT_KINDS, workspaceCodecs } from './workspace-codecs.js';
