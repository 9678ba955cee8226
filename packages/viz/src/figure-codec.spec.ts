import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figureCodec } from './figure-codec.js';
import type { Figure } from './figure.js';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'sg-figure-codec-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A figure as a plotting stage hands it on; the bytes need not be a real image for the codec. */
const chart: Figure = {
  title: 'Confusion matrix',
  svg: '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
  png: new Uint8Array([137, 80, 78, 71, 0, 255]),
  spec: { mark: 'rect', data: { values: [{ actual: '0', predicted: '1', count: 2 }] } },
  table: { name: 'data', rows: [{ actual: '0', predicted: '1', count: 2 }] },
  shows: ['confusionMatrix'],
};

describe('figureCodec', () => {
  it('saves a chart as svg, png, its facts and its Vega-Lite spec, and loads the same figure back', async () => {
    const files = await figureCodec.save(chart, dir, 'chart');
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'chart.svg',
      'chart.png',
      'chart.figure.json',
      'chart.vl.json',
    ]);
    const loaded = await figureCodec.load(dir, 'chart');
    expect(loaded).toEqual(chart);
    expect(loaded.png).toBeInstanceOf(Uint8Array);
  });

  it('writes no spec file for a figure without one (an image grid), and loads it without one', async () => {
    const grid: Figure = { title: 'Samples', svg: chart.svg, png: chart.png };
    await figureCodec.save(grid, dir, 'grid');
    expect((await readdir(dir)).filter((f) => f.startsWith('grid.')).sort()).toEqual([
      'grid.figure.json',
      'grid.png',
      'grid.svg',
    ]);
    const loaded = await figureCodec.load(dir, 'grid');
    expect(loaded).toEqual(grid);
    expect(Object.keys(loaded).sort()).toEqual(['png', 'svg', 'title']); // no table, shows or spec keys set to undefined
  });

  it('fails to load a figure whose image is missing rather than handing on half a figure', async () => {
    await figureCodec.save(chart, dir, 'half');
    await unlink(join(dir, 'half.png'));
    await expect(figureCodec.load(dir, 'half')).rejects.toThrow(/ENOENT.*half\.png/);
  });
});
