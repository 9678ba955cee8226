import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';
import type { RunEntry } from '../runs/run-index.js';
import { PALETTE, scatterChart } from './svg-charts.js';

/** A backtest's model comparison as metrics.json holds it (MODEL_COMPARISON), read defensively: records are data. */
export interface BacktestComparison {
  models: Record<string, Record<string, unknown>>;
  best: string;
  verdict: string;
  notRun: { name: string; reason: string }[];
  origins?: number;
  horizon?: number;
  points?: number;
}

/** The model every backtest scores the others against (forecast's compare-models). */
const REFERENCE = 'persistence';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);
const isModelRow = (row: unknown) =>
  isRecord(row) && (row.kind === 'baseline' || row.kind === 'learned') && typeof row.rmse === 'number';
const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * The comparison a forecast.backtest stage wrote: `models` (rows with a `kind` and an `rmse`), `best`
 * and `verdict`, bare or as `<stage>.models`... where another stage emits the same names.
 */
export function backtestComparison(metrics: Record<string, unknown>): BacktestComparison | undefined {
  for (const key of Object.keys(metrics)) {
    if (key !== 'models' && !key.endsWith('.models')) continue;
    const at = (name: string) => metrics[key.slice(0, -'models'.length) + name];
    const [models, best, verdict, notRun] = [metrics[key], at('best'), at('verdict'), at('notRun')];
    if (!isRecord(models) || !Object.values(models).every(isModelRow)) continue;
    if (typeof best !== 'string' || typeof verdict !== 'string') continue;
    return {
      models: models as Record<string, Record<string, unknown>>,
      best,
      verdict,
      notRun: Array.isArray(notRun)
        ? notRun.filter(
            (m): m is { name: string; reason: string } =>
              isRecord(m) && typeof m.name === 'string' && typeof m.reason === 'string',
          )
        : [],
      origins: numberOr(at('origins')),
      horizon: numberOr(at('horizon')),
      points: numberOr(at('points')),
    };
  }
  return undefined;
}

/** What the forecast page can show of a run: a forecast chart, a backtest chart or a backtest's scores. */
export const isForecastRun = (run: RunEntry) =>
  run.forecastFigures.length > 0 || run.backtestFigures.length > 0 || backtestComparison(run.metrics) !== undefined;

/** A model against persistence in words: below or above its RMSE, and whether Diebold-Mariano finds that significant at 5%. */
function againstPersistence(name: string, row: Record<string, unknown>): string {
  if (name === REFERENCE) return 'the reference';
  const ratio = numberOr(row.rmseRatio);
  const p = numberOr(row.dmPValue);
  if (ratio === undefined) return '';
  if (ratio === 1) return 'ties persistence';
  const side =
    ratio < 1
      ? `beats persistence by ${((1 - ratio) * 100).toFixed(1)}%`
      : `worse than persistence by ${((ratio - 1) * 100).toFixed(1)}%`;
  if (p === undefined) return `${side} (too few points to test)`;
  return `${side}, ${p < 0.05 ? 'significant' : 'not significant'} (p = ${formatNumber(p)})`;
}

const COLUMNS: [key: string, label: string][] = [
  ['rmse', 'RMSE'],
  ['rmseRatio', 'RMSE / persistence'],
  ['mae', 'MAE'],
  ['mase', 'MASE'],
  ['theilU2', "Theil's U2"],
  ['directionalAccuracy', 'direction right'],
  ['dmPValue', 'DM p-value'],
];

const cell = (value: unknown) => `<td class="num">${typeof value === 'number' ? formatNumber(value) : ''}</td>`;

/** Every model's scores, lowest RMSE first, with its verdict against persistence; the models not run last, with why. */
export function modelsTable(comparison: BacktestComparison): string {
  const rows = Object.entries(comparison.models).sort(([, a], [, b]) => (a.rmse as number) - (b.rmse as number));
  const head = `<tr><th>model</th><th>kind</th>${COLUMNS.map(([, label]) => `<th>${label}</th>`).join('')}<th>against persistence</th></tr>`;
  const scored = rows.map(
    ([name, row], i) =>
      `<tr class="model${name === comparison.best ? ' best' : ''}" data-model="${escapeHtml(name)}"><th>${i + 1}. ${escapeHtml(name)}${name === comparison.best ? ' (best)' : ''}</th><td>${escapeHtml(String(row.kind))}</td>${COLUMNS.map(([key]) => cell(row[key])).join('')}<td>${escapeHtml(againstPersistence(name, row))}</td></tr>`,
  );
  const notRun = comparison.notRun.map(
    (m) =>
      `<tr class="not-run" data-model="${escapeHtml(m.name)}"><th>${escapeHtml(m.name)} (not run)</th><td colspan="${COLUMNS.length + 2}">${escapeHtml(m.reason)}</td></tr>`,
  );
  return `<table class="scores models" id="models">${head}${scored.join('')}${notRun.join('')}</table>`;
}

/**
 * Each model's RMSE as a share of persistence's, drawn here: for a backtest run whose pipeline has no
 * viz.backtest-plot stage (so no figure of its own), the page still has a chart of the comparison.
 */
export function ratioChart(comparison: BacktestComparison): string {
  const points = Object.entries(comparison.models)
    .filter(([, row]) => typeof row.rmseRatio === 'number')
    .sort(([, a], [, b]) => (a.rmse as number) - (b.rmse as number))
    .map(([name, row]) => ({
      x: name,
      y: row.rmseRatio as number,
      label: name,
      best: name === comparison.best,
      color: name !== comparison.best && row.kind === 'learned' ? PALETTE[3] : undefined,
    }));
  return scatterChart(points, 'model', 'RMSE / persistence RMSE');
}

/** The verdict, the models table and what was backtested. */
export function backtestSection(comparison: BacktestComparison): string {
  const { origins, horizon, points } = comparison;
  const over = [
    origins !== undefined && `${origins} forecast origins`,
    horizon !== undefined && `horizon ${horizon}`,
    points !== undefined && `${points} points scored`,
  ].filter(Boolean);
  return `<section class="backtest"><h2>Backtest</h2>
<p class="verdict" id="verdict">${escapeHtml(comparison.verdict)}</p>
${modelsTable(comparison)}
${over.length ? `<p class="meta">Walk-forward over ${over.join(', ')}; every model fitted on each fold's past only.</p>` : ''}
</section>`;
}
