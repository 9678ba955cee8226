import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { resolveDataPath } from '@stagegraph/pipeline';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { startServer } from './serve/server.js';
import { captureOutput, newestRun } from './test-support/tiny-pipeline.js';

const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'table.json');
const cwd = process.cwd();
let dir: string;
let runDir: string;
let metrics: Record<string, unknown>;
let runRecord: { models: string[] };

/** Five cars written by hand: big one lacks its Horsepower, moon buggy comes from an Origin the cars never had. */
const ROWS = `Name,Cylinders,Displacement,Horsepower,Weight_in_lbs,Acceleration,Year,Origin
my car,4,120,90,2400,15.5,1978-01-01,Europe
big one,8,350,,4300,11,1972-01-01,USA
tiny,4,90,65,1900,17,1980-01-01,Japan
moon buggy,4,100,70,2000,16,1979-01-01,Mars
truck,6,250,105,3500,14.5,1975-01-01,USA
`;

async function cli(...args: string[]) {
  const output = captureOutput();
  const code = await main(args, output);
  return { code, out: output.stdout(), err: output.stderr() };
}

/** CSV lines split on commas (the rows above hold no quoted commas). */
const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split(','));

describe('stagegraph predict on a table run (pipelines/table.json on cars.json)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'sg-table-predict-'));
    process.chdir(dir);
    await writeFile('rows.csv', ROWS);
    // few trees, rounds and epochs: predict is what is tested, not the models' quality
    const quick = ['forest.params.trees=10', 'boosted.params.rounds=10', 'dense.params.epochs=2'];
    const run = await cli('run', pipelineFile, '--backend', 'wasm', ...quick.flatMap((s) => ['--set', `stages.${s}`]));
    expect([run.code, run.err]).toEqual([0, '']);
    ({ dir: runDir, metrics, record: runRecord } = await newestRun());
  }, 180_000);
  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });

  it("saves each model with its preparation: table-model.json in models/<stage>, beside the network's weights", async () => {
    expect(runRecord.models.sort()).toEqual(
      ['baseline', 'boosted', 'dense', 'forest', 'knn', 'linear', 'svm'].map((stage) => `models/${stage}`),
    );
    expect(await readdir(join(runDir, 'models', 'forest'))).toEqual(['table-model.json']);
    expect((await readdir(join(runDir, 'models', 'dense'))).sort()).toEqual([
      'model.json',
      'table-model.json',
      'weights.bin',
    ]);
    const card = JSON.parse(await readFile(join(runDir, 'models', 'dense', 'table-model.json'), 'utf8'));
    expect(card).toMatchObject({ network: true, preparation: { label: 'Miles_per_Gallon', task: 'regression' } });
  });

  it("predicts all 5 hand-written rows with the run's best model, counting the unseen Origin and the missing Horsepower", async () => {
    const { code, out, err } = await cli('predict', '--model', runDir, 'rows.csv');
    expect(code).toBe(0);
    const [header, ...rows] = csvRows(out);
    expect(header).toEqual([...ROWS.split('\n')[0].split(','), 'predicted_Miles_per_Gallon']);
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => row.slice(0, 8).join(','))).toEqual(ROWS.trim().split('\n').slice(1));
    for (const row of rows) {
      const mpg = Number(row[8]);
      expect(mpg).toBeGreaterThan(5); // cars' mileage runs from 9 to 47
      expect(mpg).toBeLessThan(60);
    }
    // the 8-cylinder 4,300 lb car gets fewer miles per gallon than the 1,900 lb one
    expect(Number(rows[1][8])).toBeLessThan(Number(rows[2][8]));
    expect(err).toContain(`models/${String(metrics.best)} (`);
    expect(err).toContain("the run's best");
    expect(err).toMatch(/categories unseen in training Origin 1;/);
    expect(err).toMatch(/missing values filled Horsepower 1\b/);
    expect(err).toContain('note: columns the model does not use, ignored: Name\n');
    expect(err.trim().split('\n')).toHaveLength(2);
  });

  it('predicts with --model latest (the newest run with a model, in ./runs) as with the run folder named', async () => {
    const named = await cli('predict', '--model', runDir, 'rows.csv');
    const latest = await cli('predict', '--model', 'latest', 'rows.csv');
    expect(latest.code).toBe(0);
    expect(latest.out).toBe(named.out);
    expect(latest.err).toBe(
      `note: --model latest: ${runDir}, the newest run with an image or table model\n${named.err}`,
    );
  });

  it('predicts with the dense network too, and writes --out as CSV or JSON records', async () => {
    const csv = await cli('predict', '--model', join(runDir, 'models', 'dense'), 'rows.csv', '--out', 'preds.csv');
    expect([csv.code, csv.out]).toEqual([0, '']);
    expect(csv.err).toMatch(/\(dense network, regression of "Miles_per_Gallon"\).*written to preds\.csv/);
    const rows = csvRows(await readFile('preds.csv', 'utf8'));
    expect(rows).toHaveLength(6);
    expect(rows.slice(1).every((row) => Number.isFinite(Number(row[8])) && row[8] !== '')).toBe(true);
    const json = await cli('predict', '--model', join(runDir, 'models', 'linear'), 'rows.csv', '--out', 'preds.json');
    expect(json.code).toBe(0);
    const records = JSON.parse(await readFile('preds.json', 'utf8'));
    expect(records).toHaveLength(5);
    expect(records[1]).toMatchObject({ Name: 'big one', Horsepower: null, Year: '1972-01-01', Origin: 'USA' });
    expect(typeof records[1].predicted_Miles_per_Gallon).toBe('number');
  });

  it('predicts the whole cars.json (label, Name and all) as JSON records with --json: nothing unseen', async () => {
    const cars = resolveDataPath('package:vega-datasets/data/cars.json', cwd);
    const { code, out, err } = await cli('predict', '--model', runDir, cars, '--json');
    expect(code).toBe(0);
    const records = JSON.parse(out) as Record<string, unknown>[];
    expect(records).toHaveLength(406);
    expect(Object.keys(records[0])).toEqual([
      'Name',
      'Miles_per_Gallon',
      'Cylinders',
      'Displacement',
      'Horsepower',
      'Weight_in_lbs',
      'Acceleration',
      'Year',
      'Origin',
      'predicted_Miles_per_Gallon',
    ]);
    expect(err).toMatch(/categories unseen in training none; missing values filled Horsepower 6\n$/);
    // on the rows it was trained and tested on, the best model is close: within 4 mpg RMSE
    const labelled = records.filter((r) => typeof r.Miles_per_Gallon === 'number');
    const mse = labelled.reduce(
      (sum, r) => sum + ((r.Miles_per_Gallon as number) - (r.predicted_Miles_per_Gallon as number)) ** 2,
      0,
    );
    expect(Math.sqrt(mse / labelled.length)).toBeLessThan(4);
  });

  it('a file without a column the model needs: exit 2, one line naming it, nothing written', async () => {
    const lines = ROWS.trim().split('\n');
    await writeFile('no-hp.csv', lines.map((line) => line.split(',').toSpliced(3, 1).join(',')).join('\n') + '\n');
    const { code, out, err } = await cli('predict', '--model', runDir, 'no-hp.csv', '--out', 'none.csv');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('error: no-hp.csv: expected the column "Horsepower" the model was trained on, got none\n');
    expect(existsSync('none.csv')).toBe(false);
  });

  it('refuses an --out it cannot write as, and two files, before reading anything', async () => {
    const txt = await cli('predict', '--model', runDir, 'rows.csv', '--out', 'preds.txt');
    expect([txt.code, txt.err]).toEqual([
      2,
      'error: --out preds.txt: expected a .csv or .json file, got a .txt file\n',
    ]);
    const two = await cli('predict', '--model', runDir, 'rows.csv', 'rows.csv');
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/^error: predict: expected one table file .* got 2\n$/);
  });

  it('serve: /api/predict?run=<table run> answers JSON rows with their predictions; bad rows are 400 in one line', async () => {
    const server = await startServer({ runsDir: 'runs', host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const runId = runDir.split('/').at(-1)!;
      const post = (body: string, query = '') =>
        fetch(`${server.url}/api/predict?run=${encodeURIComponent(runId)}${query}`, { method: 'POST', body });
      const rows = [
        {
          Cylinders: 4,
          Displacement: 100,
          Horsepower: null,
          Weight_in_lbs: 2000,
          Acceleration: 16,
          Year: '1979-01-01',
          Origin: 'Mars',
        },
        {
          Cylinders: 8,
          Displacement: 350,
          Horsepower: 160,
          Weight_in_lbs: 4300,
          Acceleration: 11,
          Year: '1972-01-01',
          Origin: 'USA',
          Note: 'x',
        },
      ];
      const answer = await post(JSON.stringify(rows));
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as Record<string, unknown> & { predictions: Record<string, unknown>[] };
      expect(body).toMatchObject({
        run: runId,
        model: `models/${String(metrics.best)}`,
        rows: 2,
        unseen: { Origin: 1 },
        missing: { Horsepower: 1 },
        ignored: ['Note'],
      });
      expect(body.predictions[0]).toMatchObject({ Origin: 'Mars', Horsepower: null, Year: '1979-01-01' });
      const [light, heavy] = body.predictions.map((row) => row.predicted_Miles_per_Gallon as number);
      expect(heavy).toBeLessThan(light);
      const dense = await post(JSON.stringify(rows), '&model=models/dense');
      expect(((await dense.json()) as { model: string }).model).toBe('models/dense');
      const lacking = await post(JSON.stringify([{ Cylinders: 4 }]));
      expect(lacking.status).toBe(400);
      expect(((await lacking.json()) as { error: string }).error).toMatch(
        /^rows: expected the columns "Displacement", .* got none$/,
      );
      const notRows = await post('{"Cylinders": 4}');
      expect([notRows.status, await notRows.json()]).toEqual([
        400,
        { error: 'rows: expected a JSON array of row objects, got a JSON object' },
      ]);
    } finally {
      await server.close();
    }
  });
});
