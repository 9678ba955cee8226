import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';
import { figureSpecsElement } from '../report/run-report.js';
import type { CorruptRecord, RunEntry } from '../runs/run-index.js';
import { backtestComparison, backtestSection, ratioChart } from './backtest-section.js';
import { pickNote, type ForecastPick } from './forecast-pick.js';
import { page, problemNotes, runPicker, runUrl } from './pages.js';

/** The single-split scores a forecast run (stock-lstm) has at the top level of metrics.json. */
const SCORE_LABELS: Record<string, string> = {
  rmse: 'RMSE',
  persistenceRmse: 'RMSE of persistence (tomorrow = today)',
  rmseRatio: 'RMSE / persistence RMSE (below 1 beats it)',
  dmPValue: 'Diebold-Mariano p-value against persistence',
  mae: 'MAE',
  mase: 'MASE',
  theilU2: "Theil's U2",
  directionalAccuracy: 'directional accuracy',
  mape: 'MAPE (%)',
  smape: 'sMAPE (%)',
};

/** The forecast for the day after the data ends, where the run made one (models-lstm.forecast-next). */
function nextDay(m: Record<string, unknown>): string {
  if (typeof m.nextDayForecast !== 'number' || typeof m.lastValue !== 'number')
    return `<p class="empty">This run has no next-day forecast: its pipeline has no <code>models-lstm.forecast-next</code> stage.</p>`;
  const change = (100 * (m.nextDayForecast - m.lastValue)) / m.lastValue;
  return `<section class="next-day"><p class="big" id="next-day">${formatNumber(m.nextDayForecast)}</p>
<p>forecast for the trading day after <strong>${escapeHtml(String(m.nextDayAfter))}</strong>, from the last window of data; the last value was ${formatNumber(m.lastValue)} (${change >= 0 ? '+' : ''}${formatNumber(change)}%).</p></section>`;
}

const ALT = {
  forecast: 'actual and predicted prices over the test period',
  backtest: 'the series over the backtest with every model’s forecasts',
};

/** A figure of the run, as its SVG; figures.js draws it interactive over that where the run kept its spec. */
const figure = (run: RunEntry, file: string, name: string, alt: string) =>
  `<figure class="chart" id="figure-${escapeHtml(name)}"><div class="chart-view"><img src="${runUrl(run.id, file)}" alt="${alt}"></div></figure>`;

/**
 * The chosen forecast run (the best of its pipeline, or the one `?run=` names; `pick` says which and
 * why). A backtest: its verdict, every model's scores against persistence and the backtest chart. A
 * single-split run: the next-day forecast, test-period scores and its forecast chart. Charts are
 * interactive where the run kept their specs (`specs`, by figure file), drawn by the report's own
 * scripts, served from /assets.
 */
export function forecastPage(
  runs: RunEntry[],
  pick: ForecastPick | undefined,
  specs: Record<string, Record<string, unknown>> = {},
  problems: CorruptRecord[] = [],
): string {
  if (!pick) {
    return page(
      'Forecast',
      '/forecast',
      `<h1>Forecast</h1><p class="empty">No forecasting run yet. Make one with <code>npm start</code> (a backtest of seven models: <code>npx stagegraph run pipelines/stock-forecast.json</code>) or <code>npx stagegraph run pipelines/stock-lstm.json</code>.</p>`,
    );
  }
  const { run } = pick;
  const m = run.metrics;
  const comparison = backtestComparison(m);
  const files = [
    ...run.backtestFigures.map((file) => ({ file, alt: ALT.backtest })),
    ...run.forecastFigures.map((file) => ({ file, alt: ALT.forecast })),
  ].map((f) => ({ ...f, name: f.file.replace(/^figures\//, '').replace(/\.svg$/, '') }));
  const interactive = files.filter((f) => specs[f.file]).map((f) => ({ name: f.name, spec: specs[f.file] }));
  const scores = Object.keys(SCORE_LABELS)
    .filter((k) => typeof m[k] === 'number')
    .map((k) => `<tr><th>${SCORE_LABELS[k]}</th><td>${formatNumber(m[k])}</td></tr>`);
  // a backtest without a chart of its own: the models' RMSE against persistence, drawn here
  const drawn =
    comparison && !run.backtestFigures.length
      ? `<figure class="chart" id="ratio-chart">${ratioChart(comparison)}<figcaption>RMSE of each model as a share of persistence's (below 1 beats it; the best in red, learned models orange)</figcaption></figure>`
      : '';
  return page(
    'Forecast',
    '/forecast',
    `<h1>Forecast</h1>
${runPicker('/forecast', runs, run, 'Run')}
${pickNote(pick)}
${comparison ? backtestSection(comparison) : nextDay(m)}
${!comparison && scores.length ? `<h2>Test period</h2><table class="scores">${scores.join('')}</table>` : ''}
${files.map(({ file, name, alt }) => figure(run, file, name, alt)).join('\n')}
${drawn}
${problemNotes(problems)}
<p><a href="${runUrl(run.id, 'report.html')}">full report of ${escapeHtml(run.id)}</a></p>
${interactive.length ? `${figureSpecsElement(interactive)}\n${['vega.min.js', 'vega-embed.min.js', 'figures.js'].map((js) => `<script src="/assets/${js}"></script>`).join('')}` : ''}`,
  );
}
