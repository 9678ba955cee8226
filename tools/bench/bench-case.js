// One benchmark case in its own process, so its peak RSS is its own: prints one JSON line.
import {
  nativeKernelRuns,
  nativeKernelsStatus,
  selectBackend,
  tensorCount,
  useNativeKernels,
  useWasmTrainingKernels,
} from '@stagegraph/core-tensor';
import { mlRandomForestTrain, treesTrain } from './tree-workloads.js';
import {
  cnnLatency,
  cnnPredict,
  cnnTrain,
  cnnTrainAugment,
  cnnTrainEpochs,
  denseTableEpoch,
  recurrentEpoch,
} from './workloads.js';

const spec = JSON.parse(process.argv[2]);
const workloads = {
  'cnn-train': cnnTrain,
  'cnn-train-augment': cnnTrainAugment,
  'cnn-predict': cnnPredict,
  'cnn-train-epochs': cnnTrainEpochs,
  'cnn-latency': cnnLatency,
  'lstm-epoch': (options) => recurrentEpoch({ ...options, cell: 'lstm' }),
  'gru-epoch': (options) => recurrentEpoch({ ...options, cell: 'gru' }),
  'dense-table-epoch': denseTableEpoch,
};
// plain JavaScript on typed arrays: no backend, no tensors
const treeWorkloads = { trees: treesTrain, 'ml-random-forest': mlRandomForestTrain };

const result = { ...spec };
try {
  if (spec.workload in treeWorkloads) {
    Object.assign(result, await treeWorkloads[spec.workload](spec.options));
    result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify(result));
    process.exit(0);
  }
  // native: false keeps the oneDNN kernels out even where they are built (wasm alone)
  useNativeKernels(spec.native !== false);
  const { threads } = await selectBackend(spec.backend, { threads: spec.threads });
  result.threads = threads;
  // plain: the stock wasm kernels and tfjs-layers' own LSTM; project: our kernels and fused LSTM
  if (spec.backend === 'wasm') useWasmTrainingKernels(spec.kernels === 'project');
  spec.options.implementation = spec.kernels === 'project' ? 'fused' : 'layers';
  result.tensorsBefore = tensorCount();
  Object.assign(result, await workloads[spec.workload](spec.options));
  result.tensorsAfter = tensorCount();
  // which kernels computed: the oneDNN functions' calls, or why they did not
  const status = nativeKernelsStatus();
  result.nativeKernels = status.active ? { ...nativeKernelRuns } : status.why;
} catch (error) {
  result.error = error.message.split('\n')[0];
}
result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(result));
