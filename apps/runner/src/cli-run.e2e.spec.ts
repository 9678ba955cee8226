import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, tensorCount } from '@stagegraph/core-tensor';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.js';
import { captureOutput, newestRun, tinyWorkspace } from './test-support/tiny-pipeline.js';

let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
const cwd = process.cwd();
/** The first run of the pipeline, made before any test so each test stands alone (jest --randomize). */
let first: {
  code: number;
  out: string;
  err: string;
  tensorsBefore: number;
  tensorsAfter: number;
  run: Awaited<ReturnType<typeof newestRun>>;
};
beforeAll(async () => {
  await selectBackend('cpu');
  ws = await tinyWorkspace();
  process.chdir(ws.dir);
  const tensorsBefore = tensorCount();
  const result = await run();
  first = { ...result, tensorsBefore, tensorsAfter: tensorCount(), run: await newestRun() };
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(ws.dir, { recursive: true, force: true });
});

const run = async (...extra: string[]) => {
  const output = captureOutput();
  const code = await main(['run', 'pipeline.json', '--backend', 'cpu', ...extra], output);
  return { code, out: output.stdout(), err: output.stderr() };
};
describe('stagegraph run, end to end on a CSV the test makes', () => {
  it('trains, writes metrics, figures and run.json, and leaks no tensors', async () => {
    const { code, out, err, tensorsBefore, tensorsAfter } = first;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(tensorsAfter).toBe(tensorsBefore);
    expect(out).toMatch(/RMSE [\d.]+ {2}persistence RMSE [\d.]+ {2}ratio [\d.]+/);
    // a plain line per epoch, the second with the training speed and time left (the first has one batch to go by)
    expect(out).toMatch(/^train: epoch 2\/2 loss [\d.e-]+ val_loss [\d.e-]+ \([\d,]+ samples\/s, ETA \d+ms\)$/m);
    const { dir, record, metrics } = first.run;
    for (const name of ['rmse', 'mae', 'mape', 'persistenceRmse', 'nextDayForecast', 'lastValue'])
      expect(typeof metrics[name]).toBe('number');
    expect(metrics.nextDayAfter).toBe('2020-06-08'); // the last date of the CSV
    expect(metrics.n).toBe(32);
    for (const figure of ['forecastPlot.svg', 'forecastPlot.png', 'lossPlot.svg', 'lossPlot.png'])
      expect((await stat(join(dir, 'figures', figure))).size).toBeGreaterThan(1000);
    expect(record.backend).toBe('cpu');
    const report = await readFile(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<h1>tiny-stock</h1>');
    for (const stage of record.stages) expect(report).toContain(`<td>${stage.id}</td>`);
    const page = report.replace(/(<script[^>]*>)[^]*?<\/script>/g, '$1</script>'); // the HTML without the inlined scripts' text
    expect(page.match(/<svg/g)).toHaveLength(3); // the stage graph and both figures, inline
    expect(page.match(/<script>/g)).toHaveLength(3); // Vega, vega-embed and the script that draws the figures with them
    expect(page).toMatch(/<tr><th>rmse<\/th><td>[\d.]+<\/td><\/tr>/);
    expect(page).not.toMatch(/<script[^>]* src=|<link|(src|href)="https?:|url\((?!#)/); // opens offline (url(#clip) is in the page)
    for (const file of ['metrics.csv', 'figures/forecastPlot.csv', 'models/train/model.json'])
      expect(page).toContain(`<a href="${file}" download>`);
    expect(record.tables).toEqual(['figures/forecastPlot.csv', 'figures/lossPlot.csv']);
    expect((await readFile(join(dir, 'figures', 'forecastPlot.csv'), 'utf8')).split('\n')[0]).toBe(
      'date,actual,predicted,error',
    );
    expect(await readFile(join(dir, 'metrics.csv'), 'utf8')).toContain(`\nrmse,${metrics.rmse}\n`);
    expect(record.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(record.stages).toHaveLength(11);
    expect(
      record.stages.every((s: { cached: boolean; key: string }) => !s.cached && /^[0-9a-f]{64}$/.test(s.key)),
    ).toBe(true);
  });

  it('lists the cache as JSON with cache ls --json', async () => {
    const output = captureOutput();
    expect(await main(['cache', 'ls', '--json'], output)).toBe(0);
    const listing = JSON.parse(output.stdout());
    expect(listing.cacheDir).toBe('.stagegraph/cache');
    expect(listing.entries.length).toBeGreaterThanOrEqual(11);
    expect(listing.entries.map((e: { stageType: string }) => e.stageType)).toContain('models-lstm.train');
    for (const entry of listing.entries)
      expect(entry).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) });
    expect(listing.bytes).toBe(listing.entries.reduce((sum: number, e: { bytes: number }) => sum + e.bytes, 0));
  });

  it('prints the summary only with --quiet', async () => {
    const { code, out } = await run('--quiet');
    expect(code).toBe(0);
    expect(out).not.toMatch(/^(backend|run tiny-stock|\w+: (started|cached|done))/m);
    expect(out).toMatch(/^finished in \S+: 0 stages computed, 11 from cache\nRMSE/); // no backend: nothing computed
    expect(out).toMatch(/^output: runs\//m);
  });

  it('names the run folder and run.json by --name, and refuses an empty one (exit 2)', async () => {
    const { code, out } = await run('--quiet', '--name', 'a named run');
    expect(code).toBe(0);
    const folder = /^output: runs\/(a_named_run-\S+)$/m.exec(out)?.[1];
    expect(folder).toBeDefined();
    const record = JSON.parse(await readFile(join('runs', folder!, 'run.json'), 'utf8'));
    expect([record.name, record.pipeline]).toEqual(['a named run', 'tiny-stock']);
    await rm(join('runs', folder!), { recursive: true });
    const empty = await run('--name', ' ');
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--name: expected 1 to 200 characters');
  });

  it('serves the second run from the cache with the same metrics', async () => {
    const before = tensorCount();
    const { code } = await run();
    expect(code).toBe(0);
    expect(tensorCount()).toBe(before);
    const second = await newestRun();
    expect(second.dir).not.toBe(first.run.dir);
    expect(second.record.stages.every((s: { cached: boolean }) => s.cached)).toBe(true);
    expect(second.metrics).toEqual(first.run.metrics);
    // no stage computed, so no backend started; the model and history came from the cache's files, not loaded
    expect(second.record).toMatchObject({
      backend: 'none',
      threads: 0,
      models: ['models/train'],
      histories: ['histories/train.json'],
    });
    const entry = join(
      '.stagegraph',
      'cache',
      'entries',
      second.record.stages.find((s: { id: string }) => s.id === 'train').key,
    );
    for (const file of ['model.json', 'weights.bin'])
      expect(await readFile(join(second.dir, 'models', 'train', file))).toEqual(
        await readFile(join(entry, 'model', file)),
      );
    expect(JSON.parse(await readFile(join(second.dir, 'histories', 'train.json'), 'utf8'))).toEqual(
      JSON.parse(await readFile(join(entry, 'history.json'), 'utf8')),
    );
  });

  it('refuses a cached model whose files fail their checksum, removes its entry, and computes it on the next run', async () => {
    // a workspace of its own: recomputing the model here would change the model the other tests' cache holds
    const own = await tinyWorkspace();
    process.chdir(own.dir);
    try {
      expect((await run()).code).toBe(0);
      const key = (await newestRun()).record.stages.find((s: { id: string }) => s.id === 'train').key;
      await writeFile(join('.stagegraph', 'cache', 'entries', key, 'model', 'weights.bin'), 'not the weights');
      const runsBefore = await readdir('runs');
      const broken = await run();
      expect(broken.code).toBe(2);
      expect(broken.err).toBe(
        `error: cache entry ${key.slice(0, 12)} (model): model/weights.bin: expected the file its manifest names, got one that does not match its checksum; it is removed, and the next run computes it again\n`,
      );
      expect(await readdir('runs')).toEqual(runsBefore); // no run folder, no temp folder
      expect((await run()).code).toBe(0);
      expect((await newestRun()).record.stages.find((s: { id: string }) => s.id === 'train').cached).toBe(false);
    } finally {
      process.chdir(ws.dir);
      await rm(own.dir, { recursive: true, force: true });
    }
  });

  it('re-runs only a stage whose params changed', async () => {
    const { code } = await run('--set', 'stages.lossPlot.params.title=Loss');
    expect(code).toBe(0);
    const { record } = await newestRun();
    expect(record.stages.filter((s: { cached: boolean }) => !s.cached).map((s: { id: string }) => s.id)).toEqual([
      'lossPlot',
    ]);
  });

  it('stops at the CSV stage when another file holds the same series (early cutoff)', async () => {
    // the same prices, written another way: semicolons, CRLF, quoted cells, rows in reverse, an extra column
    const [header, ...rows] = (await readFile('prices.csv', 'utf8')).trim().split('\n');
    const reformatted = [
      `${header.replaceAll(',', ';')};Note`,
      ...rows.reverse().map(
        (row) =>
          `${row
            .split(',')
            .map((cell) => `"${cell}"`)
            .join(';')};x`,
      ),
    ];
    await writeFile('prices-reformatted.csv', reformatted.join('\r\n') + '\r\n');
    const { code, out } = await run('--set', 'stages.load.params.path=prices-reformatted.csv');
    expect(code).toBe(0);
    const { record, metrics } = await newestRun();
    expect(record.stages.filter((s: { cached: boolean }) => !s.cached).map((s: { id: string }) => s.id)).toEqual([
      'load',
    ]);
    expect(out).toContain('inputs unchanged in content');
    expect(metrics).toEqual(first.run.metrics);
  });

  it('gives the same metrics for the same seed without the cache, and prints JSON lines', async () => {
    const { code, out } = await run('--no-cache', '--json');
    expect(code).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0].type).toBe('run-start');
    expect(events.some((e) => e.type === 'stage-progress' && e.progress.batch)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run-result', metrics: first.run.metrics });
  });

  it('exits 2 with one line naming file and column for a missing price column, writing no run', async () => {
    const runsBefore = await readdir('runs');
    const { code, err } = await run('--set', 'stages.load.params.column=Adj Close');
    expect(code).toBe(2);
    expect(err).toBe(
      'error: stages.load (preprocess.load-csv): prices.csv: expected a column "Adj Close", got columns "Date", "Open", "Close"\n',
    );
    expect(await readdir('runs')).toEqual(runsBefore);
  });

  it('recomputes a corrupt cache entry and says so', async () => {
    const key = first.run.record.stages.find((s: { id: string }) => s.id === 'forecastPlot').key;
    await writeFile(join('.stagegraph', 'cache', 'entries', key, 'figure.svg'), '<svg/>');
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain('forecastPlot: warning: cache entry');
    expect(out).toContain('removing it and recomputing');
  });
});
