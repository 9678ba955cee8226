import { describe, expect, it } from '@jest/globals';
import { lineChart, scatterChart } from './svg-charts.js';

const line = (points: [number, number][]) => lineChart([{ name: 'a', color: '#000', points }], 'epoch', 'loss');

describe('svg charts on any numbers a record may hold', () => {
  it('draws whole numbers past 2^53 (1e20 + 1 === 1e20: stepping ticks by 1 never ended)', () => {
    const svg = line([
      [1e20, 1],
      [1e20, 2],
    ]);
    expect(svg.match(/<text x="[\d.]+" y="\d+" text-anchor="middle">/g)!.length).toBeLessThanOrEqual(12);
    expect(svg).not.toContain('NaN');
  });

  it('draws 250,000 epochs as one line of at most 2,001 points, without overflowing the stack', () => {
    const points = Array.from({ length: 250_000 }, (_, i) => [i + 1, 1 / (i + 1)] as [number, number]);
    const svg = line(points);
    expect(svg.match(/<circle /g)!.length).toBeLessThanOrEqual(2001);
    expect(svg).toContain('epoch 250000'); // the last point is kept
  });

  it('places non-finite values at the axis instead of making the chart NaN', () => {
    const svg = line([
      [1, Infinity],
      [2, 1],
    ]);
    expect(svg).not.toContain('NaN');
  });

  it('draws a sweep of 150,000 trials', () => {
    const points = Array.from({ length: 150_000 }, (_, i) => ({ x: i + 1, y: i % 7, label: `trial ${i}` }));
    expect(scatterChart(points, 'units', 'rmse')).toContain('<svg');
  });
});
