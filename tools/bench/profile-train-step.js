// `node tools/bench/profile-train-step.js [--model cnn|lstm] [--steps N]`: where a training step of
// a seed model spends its time on wasm, per kernel, with one thread and with every core (each in its
// own process). Prints a table sorted by the multi-threaded time.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const model = option('--model', 'cnn');
const steps = Number(option('--steps', '3'));

if (args.includes('--child')) {
  const { printProfile } = await import('./profile-child.js');
  await printProfile(model, steps);
} else {
  const threadCounts = [1, availableParallelism()];
  const runs = threadCounts.map((threads) => {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', '--model', model, '--steps', String(steps)],
      {
        encoding: 'utf8',
        env: { ...process.env, STAGEGRAPH_THREADS: String(threads) },
      },
    );
    if (child.status !== 0)
      throw new Error(`profile with ${threads} threads failed: ${child.stderr.trim().split('\n').at(-1)}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1));
  });
  const [single, multi] = runs;
  const names = Object.keys(multi.kernels).sort((a, b) => multi.kernels[b].ms - multi.kernels[a].ms);
  const ms = (run, name) => run.kernels[name]?.ms ?? 0;
  console.log(
    `${model} training step (batch ${multi.batchSize}), ms per step: ${threadCounts[0]} thread vs ${multi.threads} threads`,
  );
  console.log(
    `${'kernel'.padEnd(24)} ${'calls'.padStart(6)} ${'1 thread'.padStart(9)} ${`${multi.threads} threads`.padStart(10)} ${'speedup'.padStart(8)} ${'share'.padStart(6)}`,
  );
  for (const name of names) {
    const a = ms(single, name);
    const b = ms(multi, name);
    console.log(
      `${name.padEnd(24)} ${String(multi.kernels[name].calls).padStart(6)} ${a.toFixed(2).padStart(9)} ${b.toFixed(2).padStart(10)} ${(a / b).toFixed(2).padStart(7)}x ${((100 * b) / multi.totalKernelMs).toFixed(1).padStart(5)}%`,
    );
  }
  console.log(
    `${'all kernels'.padEnd(24)} ${''.padStart(6)} ${single.totalKernelMs.toFixed(2).padStart(9)} ${multi.totalKernelMs.toFixed(2).padStart(10)} ${(single.totalKernelMs / multi.totalKernelMs).toFixed(2).padStart(7)}x`,
  );
  console.log(
    `${'step (wall)'.padEnd(24)} ${''.padStart(6)} ${single.stepMs.toFixed(2).padStart(9)} ${multi.stepMs.toFixed(2).padStart(10)} ${(single.stepMs / multi.stepMs).toFixed(2).padStart(7)}x`,
  );
}
