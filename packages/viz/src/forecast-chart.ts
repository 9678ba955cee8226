import type { TopLevelSpec } from 'vega-lite';
import { INTERACTIVE_ONLY } from './render-vega-lite.js';

export interface ForecastChartData {
  dates: string[];
  actual: number[];
  predicted: number[];
  title?: string;
  valueLabel?: string;
}

/** The rows behind the forecast chart: one per date, as its CSV download. */
export const forecastRows = (data: ForecastChartData) =>
  data.dates.map((date, i) => ({
    date,
    actual: data.actual[i],
    predicted: data.predicted[i],
    error: data.actual[i] - data.predicted[i],
  }));

/**
 * Actual (blue) against predicted (red) over time, as in the origin notebook. In a browser: a
 * tooltip with both values at the date under the pointer, zoom and pan on the time axis (wheel, drag;
 * double-click resets), and a click on a legend entry shows that series alone.
 */
export function forecastChartSpec(data: ForecastChartData): TopLevelSpec {
  const valueTitle = data.valueLabel ?? 'Price';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: data.title ?? 'Actual vs predicted',
    width: 800,
    height: 360,
    background: 'white',
    data: { values: forecastRows(data) },
    encoding: { x: { field: 'date', type: 'temporal', title: 'Date' } },
    layer: [
      {
        transform: [{ fold: ['actual', 'predicted'], as: ['series', 'value'] }],
        params: [
          { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' },
          { name: 'shown', select: { type: 'point', fields: ['series'] }, bind: 'legend' },
        ],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'value', type: 'quantitative', title: valueTitle, scale: { zero: false } },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['actual', 'predicted'], range: ['blue', 'red'] },
          },
          opacity: { condition: { param: 'shown', value: 1 }, value: 0.15 },
        },
      },
      {
        // an invisible rule per date that shows itself and the tooltip nearest the pointer
        name: INTERACTIVE_ONLY,
        params: [
          {
            name: 'hover',
            select: { type: 'point', fields: ['date'], nearest: true, on: 'pointerover', clear: 'pointerout' },
          },
        ],
        mark: { type: 'rule', color: '#888' },
        encoding: {
          opacity: { condition: { param: 'hover', empty: false, value: 0.6 }, value: 0 },
          tooltip: [
            { field: 'date', type: 'temporal', title: 'date' },
            { field: 'actual', type: 'quantitative', format: ',.2f' },
            { field: 'predicted', type: 'quantitative', format: ',.2f' },
            { field: 'error', type: 'quantitative', format: ',.2f', title: 'actual - predicted' },
          ],
        },
      },
    ],
  };
}
