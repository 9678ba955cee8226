// One TensorFlow.js namespace for the workspace. The union package's Node build registers the
// chained ops (`t.reshape()`) and every gradient, which tfjs-core's own Node build does not.
import * as namespace from '@tensorflow/tfjs';
import { tfjsLoaded } from './tfjs-loaded.js';

export * from '@tensorflow/tfjs';
tfjsLoaded(namespace);
