import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { figureCodec } from './figure-codec.js';
import { forecastChartSpec } from './forecast-chart.js';
import { renderVegaLite } from './render-vega-lite.js';
import { lossChartSpec } from './training-curves-chart.js';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'sg-viz-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('renderVegaLite', () => {
  it('draws actual in blue and predicted in red, to SVG and PNG', async () => {
    const figure = await renderVegaLite(forecastChartSpec({ dates: ['2020-01-01', '2020-01-02', '2020-01-03'], actual: [1, 2, 3], predicted: [1.5, 2.5, 2], title: 'T' }));
    expect(figure.title).toBe('T');
    expect(figure.svg).toMatch(/^<svg/);
    expect(figure.svg).toContain('stroke="blue"');
    expect(figure.svg).toContain('stroke="red"');
    const meta = await sharp(figure.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(800);
  });

  it('plots training and validation loss, and round-trips through the codec', async () => {
    const figure = await renderVegaLite(
      lossChartSpec([
        { epoch: 1, loss: 1, valLoss: 2 },
        { epoch: 2, loss: 0.1, valLoss: 0.5 },
      ]),
    );
    expect(figure.svg).toContain('validation');
    await figureCodec.save(figure, dir, 'loss');
    expect(await figureCodec.load(dir, 'loss')).toEqual(figure);
  });
});
