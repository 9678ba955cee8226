import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestRun } from './test-support/tiny-pipeline.js';
import { cli } from './test-support/cli-in-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const example = join(root, 'examples', 'custom-stage');
// plugins import @stagegraph/pipeline and zod, so copies live inside the repo where those resolve
const scratch = join(root, 'apps', 'runner', 'test-output', `plugins-${process.pid}`);
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'sg-plugins-'));
  await mkdir(scratch, { recursive: true });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

const run = (config: string) =>
  cli('run', config, '--backend', 'cpu', '--out', join(out, 'runs'), '--cache-dir', join(out, 'cache'));
/** A run of a one-stage plugin config, into its own runs folder, computing every stage. */
const runOdd = (config: string) =>
  cli(
    'run',
    config,
    '--backend',
    'cpu',
    '--out',
    join(out, 'odd-runs'),
    '--cache-dir',
    join(out, 'cache'),
    '--no-cache',
  );

/** A plugin module exporting one stage, written as JS source; `STAGE` in it is a well-formed stage to spread. */
const pluginSource = (stage: string) =>
  `import { z } from 'zod';
const STAGE = { type: 'mine.odd', version: 1, description: 'A stage.', params: z.strictObject({}), inputs: {}, outputs: { metrics: { kind: 'metrics' } }, run: async () => ({ metrics: { a: 1 } }) };
export const stages = [${stage}];
`;

let plugins = 0;
/** The plugin `source` in a file of its own (a module is imported once per process) and a config using its stage mine.odd as `odd`. */
async function oneStagePlugin(source: string) {
  const plugin = `./odd-${++plugins}.mjs`;
  await writeFile(join(scratch, plugin), source);
  const config = join(scratch, `odd-${plugins}.json`);
  await writeFile(config, JSON.stringify({ name: 'odd', plugins: [plugin], stages: { odd: { type: 'mine.odd' } } }));
  return { config, plugin };
}

/** A config beside the plugin file, listing it and using `type` on the S&P series. */
async function pluginConfig(dir: string, plugin: string, type = 'example.price-stats') {
  const config = JSON.parse(await readFile(join(example, 'pipeline.json'), 'utf8'));
  config.plugins = [plugin];
  config.stages.stats.type = type;
  await writeFile(join(dir, 'pipeline.json'), JSON.stringify(config));
  return join(dir, 'pipeline.json');
}

describe('stages from plugins', () => {
  it('runs the example plugin stage next to the built-in ones, and caches it like any stage', async () => {
    const first = await run(join(example, 'pipeline.json'));
    expect(first).toMatchObject({ code: 0, err: '' });
    const { metrics, record } = await newestRun(join(out, 'runs'));
    expect(metrics.maxDrawdown).toBeGreaterThan(0.3); // 2000-2020 holds 2008
    expect(metrics.maxDrawdown).toBeLessThan(1);
    expect(Object.keys(metrics).sort()).toEqual(['annualVolatility', 'maxDrawdown', 'totalReturn']);
    expect(record.stages.find((s: { id: string }) => s.id === 'stats')).toMatchObject({
      type: 'example.price-stats',
      cached: false,
    });
    expect((await run(join(example, 'pipeline.json'))).out).toContain('2 stages, 2 cached');
  });

  it('runs a copy of the plugin with its stage type renamed', async () => {
    const source = await readFile(join(example, 'price-stats.mjs'), 'utf8');
    await writeFile(
      join(scratch, 'renamed.mjs'),
      source.replace("type: 'example.price-stats'", "type: 'mine.drawdown'"),
    );
    const result = await run(await pluginConfig(scratch, './renamed.mjs', 'mine.drawdown'));
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/maxDrawdown=0\.\d+/);
  });

  it('checks a wire into or out of a plugin stage against the contracts of both ends', async () => {
    const config = JSON.parse(await readFile(join(example, 'pipeline.json'), 'utf8'));
    config.plugins = [join(example, 'price-stats.mjs')];
    config.stages.again = { type: 'example.price-stats', inputs: { series: 'stats.stats' } };
    await writeFile(join(scratch, 'miswired.json'), JSON.stringify(config));
    const result = await cli('validate', join(scratch, 'miswired.json'));
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'stages.again.inputs.series: again.series expects a series, stats.stats gives a price statistics',
    );
  });

  it('lists, validates and puts into the JSON Schema the stages of a config’s plugins', async () => {
    const config = join(example, 'pipeline.json');
    expect((await cli('stages', '--config', config)).out).toContain('example.price-stats (v2)');
    expect((await cli('stages')).out).not.toContain('example.price-stats');
    expect((await cli('validate', config)).out).toBe(`ok: ${config}: pipeline "custom-stage", 2 stages\n`);
    const schema = JSON.parse((await cli('schema', '--config', config)).out);
    const variants = schema.properties.stages.additionalProperties.oneOf.map(
      (v: { properties: { type: { const: string } } }) => v.properties.type.const,
    );
    expect(variants).toContain('example.price-stats');
  });

  it.each([
    [
      'a missing module',
      './nowhere.mjs',
      null,
      /plugins\[0\] "\.\/nowhere\.mjs": expected a module file or an installed package, got nothing at that name/,
    ],
    [
      'a package that is not installed',
      'no-such-stagegraph-plugin',
      null,
      /plugins\[0\] "no-such-stagegraph-plugin": expected a module file or an installed package, got nothing at that name/,
    ],
    [
      'a module without stages',
      './empty.mjs',
      'export const meta = { name: "x" };',
      /plugins\[0\] "\.\/empty\.mjs": expected a module exporting `stages`, an array of defineStage\(\.\.\.\) results, got exports meta/,
    ],
    [
      'a module that does not parse',
      './broken.mjs',
      'export const stages = [;',
      /plugins\[0\] "\.\/broken\.mjs": cannot load it: Unexpected token/,
    ],
    [
      'stages that are not stages',
      './odd.mjs',
      'export const stages = [42];',
      /plugins\[0\] "\.\/odd\.mjs": stages\[0\]: expected a stage made with defineStage, got number/,
    ],
  ])('refuses %s with one line naming the plugin, exit 2', async (_what, plugin, source, message) => {
    if (source) await writeFile(join(scratch, plugin.slice(2)), source);
    const result = await run(await pluginConfig(scratch, plugin));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['stages = [null]', 'null', 'stages[0]: expected a stage made with defineStage, got null'],
    [
      'a stage with a type only',
      "{ type: 'mine.odd' }",
      'stages[0] (mine.odd): version: expected a whole number from 1, got undefined; description: expected a string, got undefined; params: expected a zod schema (zod 4), got undefined; inputs: expected an object of ports ({ kind, contract? } each), got undefined; outputs: expected an object of ports ({ kind, contract? } each), got undefined; run: expected a function, got undefined',
    ],
    [
      'params that are not zod',
      '{ ...STAGE, params: { safeParse: (v) => ({ success: true, data: v }) } }',
      'stages[0] (mine.odd): params: expected a zod schema (zod 4), got an object with safeParse',
    ],
    [
      'inputs: 5',
      '{ ...STAGE, inputs: 5 }',
      'stages[0] (mine.odd): inputs: expected an object of ports ({ kind, contract? } each), got number',
    ],
    [
      'a port that is not an object',
      "{ ...STAGE, outputs: { metrics: 'metrics' } }",
      'stages[0] (mine.odd): outputs.metrics: expected a port ({ kind, contract? }), got string',
    ],
    [
      'a port whose contract is of an unknown kind',
      "{ ...STAGE, outputs: { thing: { kind: 'weird', contract: { name: 'weird thing', kind: 'weird' } } } }",
      'stages[0] (mine.odd): outputs.thing.kind: expected a port kind with a codec (json, metrics, table, table-model, tensor, model, figure), got "weird" (from contract "weird thing")',
    ],
  ])(
    'refuses a plugin stage with %s when the plugin is loaded: one line naming the file, the stage and the fault, exit 2',
    async (_what, stage, problem) => {
      const { config, plugin } = await oneStagePlugin(pluginSource(stage));
      for (const command of [runOdd(config), cli('validate', config)]) {
        const result = await command;
        expect(result.code).toBe(2);
        expect(result.err).toBe(`error: ${config}: plugins[0] "${plugin}": ${problem}\n`);
      }
    },
  );

  it.each([
    ['null', 'null', 'stage odd (mine.odd) failed: it threw null, not an Error'],
    ['undefined', 'undefined', 'stage odd (mine.odd) failed: it threw undefined, not an Error'],
    ['a string', "'out of paper'", 'stage odd (mine.odd) failed: out of paper (it threw a string, not an Error)'],
    ['a number', '42', 'stage odd (mine.odd) failed: it threw 42, not an Error'],
    [
      'an object without message',
      '{ code: 7 }',
      'stage odd (mine.odd) failed: it threw an object with code, not an Error',
    ],
  ])(
    'a stage throwing %s fails the run with one line naming the stage, exit 1, no run folder',
    async (_what, thrown, message) => {
      const result = await runOdd(
        (await oneStagePlugin(pluginSource(`{ ...STAGE, run: async () => { throw ${thrown}; } }`))).config,
      );
      expect(result).toMatchObject({ code: 1, err: `error: ${message}\n` });
      expect(result.out).toContain(`odd: failed: ${message}\n`);
      expect(await readdir(join(out, 'odd-runs'))).toEqual([]);
    },
  );

  it('fails a stage whose run completes without outputs, naming it, exit 1 (it is not left out of run.json)', async () => {
    const result = await runOdd(
      (await oneStagePlugin(`import { EMPTY } from 'rxjs';\n${pluginSource('{ ...STAGE, run: () => EMPTY }')}`)).config,
    );
    expect(result).toMatchObject({
      code: 1,
      err: 'error: stage odd (mine.odd): its run completed without producing outputs\n',
    });
    expect(await readdir(join(out, 'odd-runs'))).toEqual([]);
  });

  it('refuses a plugin that redefines a built-in stage type, naming both', async () => {
    const source = await readFile(join(example, 'price-stats.mjs'), 'utf8');
    await writeFile(
      join(scratch, 'clash.mjs'),
      source.replace("type: 'example.price-stats'", "type: 'preprocess.load-csv'"),
    );
    const result = await run(await pluginConfig(scratch, './clash.mjs'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /plugin "\.\/clash\.mjs": stage type "preprocess\.load-csv" is already defined by "@stagegraph\/preprocess"; rename it/,
    );
  });
});
