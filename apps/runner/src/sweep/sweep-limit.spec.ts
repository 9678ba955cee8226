import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { main } from '../main.js';
import { captureOutput, tinyConfig, tinyWorkspace } from '../test-support/tiny-pipeline.js';

let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
const cwd = process.cwd();
beforeAll(async () => {
  ws = await tinyWorkspace();
  process.chdir(ws.dir);
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(ws.dir, { recursive: true, force: true });
});

const cli = async (...args: string[]) => {
  const output = captureOutput();
  const code = await main(args, output);
  return { code, out: output.stdout(), err: output.stderr() };
};
const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('a sweep grid past the trial limit', () => {
  it.each([
    [100, '1,000,000'],
    [1000, '1,000,000,000'],
  ])('is refused before any trial is planned: %i values on each of 3 paths', async (n, count) => {
    const params = {
      'stages.train.params.units': values(n),
      'stages.train.params.epochs': values(n),
      'stages.windows.params.seqLength': values(n),
    };
    await writeFile(
      'huge.json',
      JSON.stringify({
        ...tinyConfig('prices.csv'),
        sweep: { method: 'grid', params, objective: { metric: 'rmse', goal: 'min' } },
      }),
    );
    const message = `error: huge.json: sweep.params: expected a grid of at most 10,000 trials, got ${count} (${n} x ${n} x ${n} values): sweep fewer values, or draw some with random search\n`;
    expect(await cli('validate', 'huge.json')).toEqual({ code: 2, out: '', err: message });
    expect(await cli('sweep', 'huge.json', '--backend', 'cpu')).toEqual({ code: 2, out: '', err: message });
    expect(await readdir('runs')).toEqual([]);
  });
});
