import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';
import { figureSpecsElement } from '../report/run-report.js';
import type { CorruptRecord, RunEntry } from '../runs/run-index.js';

/** Server-rendered pages of the web app. Scripts come from /assets only (the CSP allows no inline ones). */
export function page(title: string, active: string, body: string, script?: string): string {
  const link = (href: string, label: string) =>
    `<a href="${href}"${href === active ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · StageGraph</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><header><a class="brand" href="/">StageGraph</a><nav>${link('/', 'Runs')}${link('/draw', 'Draw a digit')}${link('/upload', 'Upload an image')}${link('/forecast', 'Forecast')}</nav></header>
<main>
${body}
</main>${script ? `\n<script type="module" src="/assets/${script}"></script>` : ''}
</body></html>
`;
}

/** Records a page could not use (a history cut short), said under it. */
export const problemNotes = (problems: CorruptRecord[]) =>
  problems.length
    ? `<ul class="problems">${problems.map((p) => `<li>${escapeHtml(p.id)}: <code>${escapeHtml(p.file)}</code> left out: ${escapeHtml(p.problem)}</li>`).join('')}</ul>`
    : '';

/** The URL of a file in a run folder (its report: `runUrl(id, 'report.html')`). */
export const runUrl = (id: string, file = '') => `/runs/${encodeURIComponent(id)}/${file}`;
/** "accuracy 0.97": the metric a run is judged by. */
export const headline = (run: RunEntry) =>
  run.headline ? `${run.headline.name} ${formatNumber(run.headline.value)}` : '';

/** A GET form to pick another run; works without scripts, and draw.js or upload.js submits it on change. */
export function runPicker(action: string, runs: RunEntry[], chosen: RunEntry, label: string): string {
  const options = runs.map(
    (r) =>
      `<option value="${escapeHtml(r.id)}"${r === chosen ? ' selected' : ''}>${escapeHtml(r.id)}${r.headline ? ` (${escapeHtml(headline(r))})` : ''}</option>`,
  );
  return `<form class="picker" method="get" action="${action}"><label>${label} <select name="run">${options.join('')}</select></label> <button type="submit">Show</button></form>`;
}

/**
 * The newest (or chosen) forecast run: the next-day forecast, test-period scores and its forecast
 * charts, interactive where the run kept their specs (`specs`, by figure file): drawn by the report's
 * own scripts, served from /assets.
 */
export function forecastPage(
  runs: RunEntry[],
  chosen: RunEntry | undefined,
  specs: Record<string, Record<string, unknown>> = {},
  problems: CorruptRecord[] = [],
): string {
  if (!chosen) {
    return page(
      'Forecast',
      '/forecast',
      `<h1>Forecast</h1><p class="empty">No forecasting run yet. Make one with <code>npx stagegraph run pipelines/stock-lstm.json</code>.</p>`,
    );
  }
  const m = chosen.metrics;
  const next =
    typeof m.nextDayForecast === 'number' && typeof m.lastValue === 'number'
      ? `<section class="next-day"><p class="big" id="next-day">${formatNumber(m.nextDayForecast)}</p>
<p>forecast for the trading day after <strong>${escapeHtml(String(m.nextDayAfter))}</strong>, from the last window of data; the last value was ${formatNumber(m.lastValue)} (${m.nextDayForecast >= m.lastValue ? '+' : ''}${formatNumber((100 * (m.nextDayForecast - m.lastValue)) / m.lastValue)}%).</p></section>`
      : `<p class="empty">This run has no next-day forecast: its pipeline has no <code>models-lstm.forecast-next</code> stage.</p>`;
  const labels: Record<string, string> = {
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
  const figures = chosen.forecastFigures.map((file) => ({
    file,
    name: file.replace(/^figures\//, '').replace(/\.svg$/, ''),
  }));
  const interactive = figures.filter((f) => specs[f.file]).map((f) => ({ name: f.name, spec: specs[f.file] }));
  const scores = Object.keys(labels)
    .filter((k) => typeof m[k] === 'number')
    .map((k) => `<tr><th>${labels[k]}</th><td>${formatNumber(m[k])}</td></tr>`);
  return page(
    'Forecast',
    '/forecast',
    `<h1>Forecast</h1>
${runPicker('/forecast', runs, chosen, 'Run')}
${next}
${scores.length ? `<h2>Test period</h2><table class="scores">${scores.join('')}</table>` : ''}
${figures
  .map(
    ({ file, name }) =>
      `<figure class="chart" id="figure-${escapeHtml(name)}"><div class="chart-view"><img src="${runUrl(chosen.id, file)}" alt="actual and predicted prices over the test period"></div></figure>`,
  )
  .join('\n')}
${problemNotes(problems)}
<p><a href="${runUrl(chosen.id, 'report.html')}">full report of ${escapeHtml(chosen.id)}</a></p>
${interactive.length ? `${figureSpecsElement(interactive)}\n${['vega.min.js', 'vega-embed.min.js', 'figures.js'].map((js) => `<script src="/assets/${js}"></script>`).join('')}` : ''}`,
  );
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Not allowed',
  408: 'Too slow',
  413: 'Too large',
  415: 'Not an image',
  422: 'Corrupt record',
  503: 'Busy',
};

/** A page for an error: what went wrong, in the server's one line, and the way back. */
export function errorPage(status: number, message: string): string {
  const title = STATUS_TITLES[status] ?? 'Error';
  return page(
    title,
    '',
    `<h1>${escapeHtml(title)}</h1><p class="error"><code>${escapeHtml(message)}</code></p><p><a href="/">All runs</a></p>`,
  );
}
