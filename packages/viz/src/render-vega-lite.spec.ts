import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { figureCodec } from './figure-codec.js';
import { forecastChartSpec, forecastRows } from './forecast-chart.js';
import { renderVegaLite, vegaLiteToVega } from './render-vega-lite.js';
import { lossChartSpec } from './training-curves-chart.js';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'sg-viz-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('renderVegaLite', () => {
  it('draws actual in blue and predicted in red, to SVG and PNG', async () => {
    const figure = await renderVegaLite(
      forecastChartSpec({
        dates: ['2020-01-01', '2020-01-02', '2020-01-03'],
        actual: [1, 2, 3],
        predicted: [1.5, 2.5, 2],
        title: 'T',
      }),
    );
    expect(figure.title).toBe('T');
    expect(figure.svg).toMatch(/^<svg/);
    expect(figure.svg).toContain('stroke="blue"');
    expect(figure.svg).toContain('stroke="red"');
    const meta = await sharp(figure.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(800);
  });

  it('keeps the spec and the rows behind a chart; the hover layer is left out of the static SVG', async () => {
    const data = { dates: ['2020-01-01', '2020-01-02', '2020-01-03'], actual: [1, 2, 3], predicted: [1.5, 2.5, 2] };
    const spec = forecastChartSpec(data);
    const table = { name: 'predictions', rows: forecastRows(data) };
    const figure = await renderVegaLite(spec, { table });
    expect(figure.table).toEqual({
      name: 'predictions',
      rows: [
        { date: '2020-01-01', actual: 1, predicted: 1.5, error: -0.5 },
        { date: '2020-01-02', actual: 2, predicted: 2.5, error: -0.5 },
        { date: '2020-01-03', actual: 3, predicted: 2, error: 1 },
      ],
    });
    expect(figure.spec).toEqual(JSON.parse(JSON.stringify(spec))); // plain JSON: nothing Vega added
    // the browser's spec: a tooltip per date, zoom bound to the scales, legend toggles
    const compiled = JSON.stringify(vegaLiteToVega(figure.spec!));
    for (const signal of ['"hover', '"zoom', '"shown', 'tooltip']) expect(compiled).toContain(signal);
    // the static SVG has the two lines and no rule per date
    expect(figure.svg).not.toContain('mark-rule role-mark');
    const layers = (spec as { layer: object[] }).layer;
    const allShown = { ...spec, layer: [layers[0], { ...layers[1], name: 'shown-too' }] } as typeof spec;
    expect((await renderVegaLite(allShown)).svg).toContain('mark-rule role-mark');
  });

  it("takes a spec's inline rows as its table when given none", async () => {
    const figure = await renderVegaLite(lossChartSpec([{ epoch: 1, loss: 1 }]));
    expect(figure.table).toEqual({ name: 'data', rows: [{ epoch: 1, loss: 1, curve: 'training' }] });
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
