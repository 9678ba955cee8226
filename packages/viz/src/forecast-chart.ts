import type { TopLevelSpec } from 'vega-lite';

export interface ForecastChartData {
  dates: string[];
  actual: number[];
  predicted: number[];
  title?: string;
  valueLabel?: string;
}

/** Actual (blue) against predicted (red) over time, as in the origin notebook. */
export function forecastChartSpec(data: ForecastChartData): TopLevelSpec {
  const rows = data.dates.flatMap((date, i) => [
    { date, value: data.actual[i], series: 'actual' },
    { date, value: data.predicted[i], series: 'predicted' },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: data.title ?? 'Actual vs predicted',
    width: 800,
    height: 360,
    background: 'white',
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'date', type: 'temporal', title: 'Date' },
      y: { field: 'value', type: 'quantitative', title: data.valueLabel ?? 'Price', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['actual', 'predicted'], range: ['blue', 'red'] } },
    },
  };
}
