import { escapeHtml } from '../render/escape-html.js';
import { formatDuration, formatNumber } from '../render/format.js';
import { numericMetricPaths } from '../metric-paths.js';
import { describeParams, shortNames } from '../render/table.js';
import type { CorruptRecord, RunEntry } from '../runs/run-index.js';
import type { HistoryEpoch } from '../runs/run-records.js';
import { isSettled, rankTrials, type SweepRecord } from '../sweep/sweep-record.js';
import { isForecastRun } from './backtest-section.js';
import type { ImageSteps } from './image-steps.js';
import { headline, page, problemNotes, runUrl } from './pages.js';
import { lineChart, PALETTE, scatterChart } from './svg-charts.js';

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const runLink = (id: string) => `<a href="${runUrl(id, 'report.html')}">${escapeHtml(id)}</a>`;
const cell = (value: unknown) =>
  value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : escapeHtml(JSON.stringify(value));
/** A cell with the value it sorts by (runs.js sorts on data-value: numbers as numbers). */
const sortable = (text: string, value: string | number | undefined, cls = '') =>
  `<td${cls ? ` class="${cls}"` : ''} data-value="${escapeHtml(String(value ?? ''))}">${text}</td>`;

/**
 * Runs and sweeps: a sortable, filterable table (runs.js; without scripts a plain table), ticks to
 * compare runs (a GET form), the sweeps with their best trial, and what is running now (live, by
 * server-sent events).
 */
export function runsPage(
  runs: RunEntry[],
  sweeps: SweepRecord[],
  runsDir: string,
  corrupt: CorruptRecord[] = [],
  imageSteps: Map<string, ImageSteps> = new Map(),
): string {
  if (!runs.length && !sweeps.length && !corrupt.length) {
    return page(
      'Runs',
      '/',
      `<h1>Runs</h1><div id="live" class="live" hidden></div><p class="empty">No runs in <code>${escapeHtml(runsDir)}</code> yet. Make one with <code>npx stagegraph run pipelines/stock-lstm.json</code>.</p>`,
      'runs.js',
    );
  }
  const sweepRows = sweeps.map((s) => {
    const done = s.trials.filter(isSettled).length;
    const best = s.best ? `${s.sweep.objective.metric} ${formatNumber(s.best.objective)} (trial ${s.best.trial})` : '';
    return `<tr data-sweep="${escapeHtml(s.id)}"><td><a href="/sweeps/${encodeURIComponent(s.id)}">${escapeHtml(s.id)}</a></td><td>${escapeHtml(s.sweep.method)}</td><td class="num">${done}/${s.trials.length}</td><td class="status">${escapeHtml(s.status)}</td><td>${escapeHtml(best)}</td><td>${when(s.startedAt)}</td></tr>`;
  });
  const rows = runs.map((run) => {
    const links = [
      run.hasReport ? `<a href="${runUrl(run.id, 'report.html')}">report</a>` : '',
      imageLink(run, imageSteps.get(run.id)),
      isForecastRun(run) ? `<a href="/forecast?run=${encodeURIComponent(run.id)}">forecast</a>` : '',
    ].filter(Boolean);
    const params = escapeHtml(describeParams(run.sweep?.params ?? {}));
    const trial = run.sweep
      ? `<a href="/sweeps/${encodeURIComponent(run.sweep.id)}">trial ${run.sweep.trial}</a>${run.sweep.budget !== undefined ? ` (${run.sweep.budget} ep)` : ''}`
      : '';
    return `<tr data-run="${escapeHtml(run.id)}"><td><input type="checkbox" name="run" value="${escapeHtml(run.id)}" aria-label="compare ${escapeHtml(run.id)}"></td>${sortable(when(run.startedAt), run.startedAt)}${sortable(escapeHtml(run.pipeline), run.pipeline)}${sortable(trial, run.sweep ? `${run.sweep.id} ${String(run.sweep.trial).padStart(5, '0')}` : '')}${sortable(params, params)}${sortable(escapeHtml(headline(run)), run.headline?.value, 'num')}${sortable(run.durationMs === undefined ? '' : formatDuration(run.durationMs), run.durationMs, 'num')}${sortable(escapeHtml(run.threads ? `${run.backend} (${run.threads})` : run.backend), run.backend)}<td>${links.join(' · ')}</td></tr>`;
  });
  const th = (label: string, kind: 'text' | 'number' = 'text') => `<th data-sort="${kind}" tabindex="0">${label}</th>`;
  return page(
    'Runs',
    '/',
    `<h1>Runs</h1>
<div id="live" class="live" hidden></div>
${
  sweeps.length
    ? `<h2>Sweeps</h2>
<table class="sweeps"><thead><tr><th>sweep</th><th>method</th><th>trials</th><th>status</th><th>best</th><th>started</th></tr></thead><tbody>
${sweepRows.join('\n')}
</tbody></table>`
    : ''
}
${corruptSection(corrupt)}
<h2>Runs</h2>
<form method="get" action="/compare" class="compare-form">
<p class="meta">${runs.length} run${runs.length === 1 ? '' : 's'} in <code>${escapeHtml(runsDir)}</code>, newest first. <label>Filter <input type="search" id="filter" placeholder="pipeline, sweep, param..."></label> <button type="submit">Compare ticked runs</button></p>
<table class="runs" id="runs"><thead><tr><th></th>${th('started')}${th('pipeline')}${th('sweep')}${th('params')}${th('headline metric', 'number')}${th('duration', 'number')}${th('backend')}<th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</form>`,
    'runs.js',
  );
}

/** A run's image model's page: drawing for a digit model, uploading for one trained on other images. */
function imageLink(run: RunEntry, steps: ImageSteps | undefined): string {
  if (!run.imageModels.length) return '';
  const id = encodeURIComponent(run.id);
  return steps === 'resized'
    ? `<a href="/upload?run=${id}">upload an image</a>`
    : `<a href="/draw?run=${id}">draw a digit</a>`;
}

/** Folders whose records cannot be read: named with the file and what is wrong, so one bad folder hides nothing else. */
function corruptSection(corrupt: CorruptRecord[]): string {
  if (!corrupt.length) return '';
  const rows = corrupt.map(
    (c) =>
      `<tr data-corrupt="${escapeHtml(c.id)}"><td>${escapeHtml(c.id)}</td><td><code>${escapeHtml(c.file)}</code></td><td>${escapeHtml(c.problem)}</td></tr>`,
  );
  return `<h2>Corrupt records</h2>
<p class="meta">${corrupt.length} folder${corrupt.length === 1 ? '' : 's'} of the runs folder could not be read and are left out below.</p>
<table class="corrupt"><thead><tr><th>folder</th><th>file</th><th>problem</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** Two or more runs side by side: the params that differ, every numeric metric, training curves overlaid. */
export function comparePage(
  runs: RunEntry[],
  histories: Record<string, HistoryEpoch[]>[],
  problems: CorruptRecord[] = [],
): string {
  const head = `<tr><th></th>${runs.map((r, i) => `<th><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${runLink(r.id)}</th>`).join('')}</tr>`;
  const paramNames = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].filter(
    (k) => new Set(runs.map((r) => JSON.stringify(r.params[k]))).size > 1,
  );
  // nested metrics by their paths (a backtest's models.<name>.rmse), as runs compare and metrics.csv name them
  const metrics = runs.map((r) => numericMetricPaths(r.metrics));
  const metricNames = [...new Set(metrics.flatMap((m) => Object.keys(m)))];
  const row = (name: string, values: unknown[]) =>
    `<tr><th>${escapeHtml(name)}</th>${values.map((v) => `<td class="num">${cell(v)}</td>`).join('')}</tr>`;
  const files = [...new Set(histories.flatMap((h) => Object.keys(h)))];
  const charts = files.map((file) => {
    const series = runs.flatMap((run, i) => {
      const epochs = histories[i][file] ?? [];
      const color = PALETTE[i % PALETTE.length];
      const loss = { name: `${run.id} loss`, color, points: epochs.map((e) => [e.epoch, e.loss] as [number, number]) };
      const withVal = epochs.filter((e) => typeof e.valLoss === 'number');
      return withVal.length
        ? [
            loss,
            {
              name: `${run.id} val_loss`,
              color,
              dashed: true,
              points: withVal.map((e) => [e.epoch, e.valLoss!] as [number, number]),
            },
          ]
        : [loss];
    });
    const stage = file.replace(/^histories\//, '').replace(/\.json$/, '');
    return `<figure><figcaption>Training curves: ${escapeHtml(stage)} (solid: loss, dashed: validation loss)</figcaption>${lineChart(series, 'epoch', 'loss')}</figure>`;
  });
  return page(
    'Compare runs',
    '/',
    `<h1>Compare ${runs.length} runs</h1>
<p class="meta"><a href="/">All runs</a></p>
<h2>Params that differ</h2>
${
  paramNames.length
    ? `<table class="compare"><thead>${head}</thead><tbody>${paramNames
        .map((p) =>
          row(
            p,
            runs.map((r) => r.params[p]),
          ),
        )
        .join('\n')}</tbody></table>`
    : '<p class="meta">The runs have the same params.</p>'
}
<h2>Metrics</h2>
<table class="compare" id="metrics"><thead>${head}</thead><tbody>${metricNames
      .map((m) =>
        row(
          m,
          metrics.map((values) => values[m]),
        ),
      )
      .join('\n')}</tbody></table>
${charts.length ? `<h2>Training</h2>\n${charts.join('\n')}` : ''}
${problemNotes(problems)}`,
  );
}

/** A sweep: its trials by the objective, the objective against each swept param, live while it runs. */
export function sweepPage(sweep: SweepRecord): string {
  const { objective } = sweep.sweep;
  const paths = Object.keys(sweep.sweep.params);
  const names = shortNames(paths);
  const trials = [...sweep.trials].sort(rankTrials(objective.goal));
  const rows = trials.map((t) => {
    const last = t.runs.at(-1);
    return `<tr data-trial="${t.trial}"><td class="num">${t.trial}</td>${paths.map((p) => `<td class="num">${cell(t.params[p])}</td>`).join('')}${sweep.sweep.budget ? `<td class="num">${t.budget ?? ''}</td>` : ''}<td class="num">${cell(t.objective)}</td><td class="status"${t.error ? ` title="${escapeHtml(t.error)}"` : ''}>${escapeHtml(t.status)}${t.error ? `: ${escapeHtml(t.error)}` : ''}</td><td>${last ? runLink(last.run) : ''}</td></tr>`;
  });
  // each trial at its last run; with halving, coloured by the epochs it reached
  const budget = sweep.sweep.budget;
  const last = sweep.trials.flatMap((t) =>
    typeof t.runs.at(-1)?.objective === 'number' ? [{ t, r: t.runs.at(-1)! }] : [],
  );
  const budgets = [...new Set(last.map(({ r }) => r.budget ?? 0))].sort((a, b) => a - b);
  const charts = paths.map((path) =>
    scatterChart(
      last.map(({ t, r }) => ({
        x: typeof t.params[path] === 'number' ? (t.params[path] as number) : JSON.stringify(t.params[path]),
        y: r.objective!,
        label: `trial ${t.trial}${budget ? ` (${r.budget} epochs)` : ''}`,
        href: runUrl(r.run, 'report.html'),
        best: sweep.best?.trial === t.trial,
        ...(budget && { color: PALETTE[budgets.indexOf(r.budget ?? 0) % PALETTE.length] }),
      })),
      names.get(path)!,
      objective.metric,
    ),
  );
  const key = budget
    ? ` (colour: epochs reached, ${budgets.map((b, i) => `<span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${b}`).join(' ')}; outlined: the best)`
    : '';
  return page(
    `Sweep ${sweep.id}`,
    '/',
    `<h1>Sweep ${escapeHtml(sweep.id)}</h1>
<p class="meta" id="sweep" data-sweep="${escapeHtml(sweep.id)}" data-status="${escapeHtml(sweep.status)}"><a href="/">All runs</a> · ${escapeHtml(sweep.sweep.method)}${budget ? ` on ${escapeHtml(budget.param)} ${budget.min}-${budget.max} (eta ${budget.eta})` : ''} · ${objective.goal}imize ${escapeHtml(objective.metric)} · <span class="status">${escapeHtml(sweep.status)}</span>${sweep.durationMs !== undefined ? ` in ${formatDuration(sweep.durationMs)}` : ''}${sweep.best ? ` · best: trial ${sweep.best.trial}, ${escapeHtml(objective.metric)} ${formatNumber(sweep.best.objective)} · config <code>${escapeHtml(sweep.best.config)}</code>` : ''}</p>
<h2>${escapeHtml(objective.metric)} against each param</h2>
<p class="meta">One dot per trial${key}; hover for its values, click for its report.</p>
<div class="charts">${charts.join('\n')}</div>
<h2>Trials</h2>
<table class="runs"><thead><tr><th>trial</th>${paths.map((p) => `<th>${escapeHtml(names.get(p)!)}</th>`).join('')}${budget ? '<th>epochs</th>' : ''}<th>${escapeHtml(objective.metric)}</th><th>status</th><th>run</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`,
    'runs.js',
  );
}
