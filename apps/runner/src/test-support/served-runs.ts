import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';
import { smallDigitTraining, writeGeneratedMnist } from './generated-digits.js';
import { captureOutput, tinyConfig, tinyWorkspace } from './tiny-pipeline.js';

const mnistPipeline = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'pipelines',
  'mnist-cnn.json',
);

async function runCli(args: string[]): Promise<void> {
  const output = captureOutput();
  const code = await main(['run', ...args], output);
  if (code !== 0) throw new Error(`stagegraph run ${args.join(' ')} exited ${code}: ${output.stderr()}`);
}

/**
 * A runs folder as users have it after `stagegraph run`: a stock forecast on a made-up CSV and an
 * MNIST run on generated digits, both made through the CLI. Returns the folder and run ids.
 */
export async function makeServedRuns(options: { digitsPerClass?: number; epochs?: number } = {}) {
  const ws = await tinyWorkspace();
  const runsDir = join(ws.dir, 'runs');
  const common = ['--out', runsDir, '--cache-dir', join(ws.dir, 'cache')];
  await writeFile(ws.file('pipeline.json'), JSON.stringify(tinyConfig(ws.file('prices.csv')))); // runs from any folder
  await runCli([ws.file('pipeline.json'), '--backend', 'wasm', ...common]);
  const stockRun = (await readdir(runsDir)).find((name) => name.startsWith('tiny-stock-'))!;
  // a sweep of two trials, for the runs page's sweeps, the compare view and the sweep page
  const sweep = {
    method: 'grid',
    params: { 'stages.train.params.units': [3, 5] },
    objective: { metric: 'rmse', goal: 'min' },
  };
  await writeFile(ws.file('sweep.json'), JSON.stringify({ ...tinyConfig(ws.file('prices.csv'), 3), sweep }));
  const swept = captureOutput();
  if ((await main(['sweep', ws.file('sweep.json'), '--backend', 'wasm', ...common], swept)) !== 0)
    throw new Error(`stagegraph sweep: ${swept.stderr()}`);

  await writeGeneratedMnist(ws.file('digits'), { train: options.digitsPerClass ?? 60, test: 10 });
  const mnist = [
    '--set',
    `stages.data.params.dataDir=${ws.file('digits')}`,
    ...smallDigitTraining('train', options.epochs ?? 6),
  ];
  await runCli([mnistPipeline, '--backend', 'wasm', ...mnist, ...common]);
  const mnistRun = (await readdir(runsDir)).find((name) => name.startsWith('mnist-cnn-'))!;
  return {
    dir: ws.dir,
    runsDir,
    stockRun,
    mnistRun,
    pipelineFile: ws.file('pipeline.json'),
    cacheDir: join(ws.dir, 'cache'),
  };
}
