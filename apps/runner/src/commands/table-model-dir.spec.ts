import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import { tableModelDir } from './table-model-dir.js';
import { predictionColumns } from './table-predictions-out.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-table-model-dir-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A run folder with a card per model stage, metrics.json and run.json as given. */
async function run(name: string, models: string[], metrics?: object, config?: object) {
  const folder = join(dir, name);
  for (const model of models) {
    await mkdir(join(folder, 'models', model), { recursive: true });
    await writeFile(join(folder, 'models', model, 'table-model.json'), '{}');
  }
  if (metrics) await writeFile(join(folder, 'metrics.json'), JSON.stringify(metrics));
  if (config) await writeFile(join(folder, 'run.json'), JSON.stringify({ config }));
  return folder;
}

describe('tableModelDir', () => {
  it("takes a run's one table model, or its best (metrics.json's best or <stage>.best, traced to the model stage)", async () => {
    const one = await run('one', ['forest']);
    expect(tableModelDir(one)).toEqual({ dir: join(one, 'models', 'forest') });
    const best = await run('best', ['forest', 'dense'], { 'select.best': 'dense', 'forestEval.rmse': 3 });
    expect(tableModelDir(best)).toEqual({ dir: join(best, 'models', 'dense'), why: "the run's best" });
    // candidate names that are not stage ids: select.inputs.tree <- treeEval <- forest
    const stages = {
      forestEval: { inputs: { predictions: 'forest.predictions' } },
      denseEval: { inputs: { predictions: 'dense.predictions' } },
      select: { inputs: { tree: 'forestEval.metrics', net: 'denseEval.metrics' } },
    };
    const traced = await run('traced', ['forest', 'dense'], { best: 'tree' }, { stages });
    expect(tableModelDir(traced)?.dir).toBe(join(traced, 'models', 'forest'));
    expect(tableModelDir(join(traced, 'models', 'dense', 'table-model.json'))?.dir).toBe(
      join(traced, 'models', 'dense'),
    );
  });

  it('refuses a run of several table models and no best, naming them; an image run is not its to take', async () => {
    const several = await run('several', ['knn', 'svm']);
    expect(() => tableModelDir(several)).toThrow(
      new DataError(
        `--model ${several}: expected a run with one table model or a best one in metrics.json, got 2 models (knn, svm) and no best: name one, e.g. ${join(several, 'models', 'knn')}`,
      ),
    );
    const images = join(dir, 'images');
    await mkdir(join(images, 'models', 'train'), { recursive: true });
    await writeFile(join(images, 'models', 'train', 'model.json'), '{}');
    expect(tableModelDir(images)).toBeUndefined();
    expect(tableModelDir(join(images, 'models', 'train', 'model.json'))).toBeUndefined();
    expect(tableModelDir(join(dir, 'no-such-run'))).toBeUndefined();
  });
});

describe('predictionColumns', () => {
  const table: Table = {
    rows: 2,
    columns: [
      { name: 'when', type: 'date', values: Float64Array.from([Date.UTC(2020, 0, 2), NaN]), missing: 1, distinct: 1 },
      { name: 'ok', type: 'boolean', values: Uint8Array.from([1, 255]), missing: 1, distinct: 1 },
      {
        name: 'kind',
        type: 'category',
        codes: Int32Array.from([1, -1]),
        categories: ['a', 'b'],
        missing: 1,
        distinct: 2,
      },
      { name: 'p_yes', type: 'number', values: Float64Array.from([0.5, NaN]), missing: 1, distinct: 1 },
    ],
    dropped: [],
    source: { file: 'rows.csv', rowsRead: 2, labelMissing: 0 },
  };

  it('repeats each value as read (missing as null), then the class name and one p_<class> per class', () => {
    const predictions = {
      label: 'y',
      classes: ['no', 'yes'],
      predicted: [1, 0],
      probabilities: Float32Array.from([0.25, 0.75, 0.9, 0.1]),
    };
    const { names, cells } = predictionColumns(table, predictions);
    // the file's own p_yes keeps its name; the probability column takes the next free one
    expect(names).toEqual(['when', 'ok', 'kind', 'p_yes', 'predicted_y', 'p_no', 'p_yes_2']);
    expect(cells(0)).toEqual(['2020-01-02', true, 'b', 0.5, 'yes', 0.25, 0.75]);
    expect(cells(1)).toEqual([null, null, null, null, 'no', 0.9, 0.1]);
  });
});
