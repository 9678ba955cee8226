import { escapeHtml } from '../render/escape-html.js';
import { formatDuration, formatNumber } from '../render/format.js';
import type { StageRecord } from '../run-folder.js';

export interface RunReportInput {
  pipeline: string;
  description?: string;
  configFile: string;
  config: unknown;
  seed: number;
  backend: string;
  startedAt: string;
  durationMs: number;
  stages: StageRecord[];
  metrics: Record<string, unknown>;
  figures: { name: string; title: string; svg: string }[];
  graphSvg: string;
}

const cell = (value: unknown) => `<td>${escapeHtml(typeof value === 'number' ? formatNumber(value) : String(value))}</td>`;

/** A metric as HTML: numbers in the scalar table; rows of objects and matrices as tables. */
function metricTable(name: string, value: unknown): string {
  if (Array.isArray(value) && value.length && value.every((row) => Array.isArray(row))) {
    const rows = value as unknown[][];
    return `<h3>${escapeHtml(name)}</h3><table class="matrix"><tr><th></th>${rows[0].map((_, j) => `<th>${j}</th>`).join('')}</tr>${rows.map((row, i) => `<tr><th>${i}</th>${row.map(cell).join('')}</tr>`).join('')}</table>`;
  }
  if (Array.isArray(value) && value.length && value.every((row) => row && typeof row === 'object')) {
    const columns = Object.keys(value[0] as object);
    return `<h3>${escapeHtml(name)}</h3><table><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>${(value as Record<string, unknown>[]).map((row) => `<tr>${columns.map((c) => cell(row[c])).join('')}</tr>`).join('')}</table>`;
  }
  const rows = value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
  if (rows.length && rows.every(([, row]) => row && typeof row === 'object' && !Array.isArray(row))) {
    // a record of rows ({"<model>": {rmse, ...}}): one row per key, the union of their fields as columns
    const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row as object)))];
    return `<h3>${escapeHtml(name)}</h3><table><tr><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>${rows.map(([key, row]) => `<tr><th>${escapeHtml(key)}</th>${columns.map((c) => cell((row as Record<string, unknown>)[c] ?? '')).join('')}</tr>`).join('')}</table>`;
  }
  return `<h3>${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}

/**
 * One run as a self-contained HTML page: no scripts, no external fonts or stylesheets; the figures
 * and the stage graph are inline SVG, so it opens offline and can be mailed as one file.
 */
export function renderRunReport(input: RunReportInput): string {
  const scalars = Object.entries(input.metrics).filter(([k, v]) => k !== 'verdict' && (typeof v === 'number' || typeof v === 'string'));
  const structured = Object.entries(input.metrics).filter(([, v]) => v !== null && typeof v === 'object');
  const cached = input.stages.filter((s) => s.cached).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.pipeline)}: StageGraph run</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{margin-bottom:4px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}.meta{color:#555}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left}.matrix td{min-width:2.5em}figure{margin:16px 0}figcaption{font-weight:bold;margin-bottom:6px}
svg{max-width:100%;height:auto}pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}.cached{color:#2a7a2a}
</style></head><body>
<h1>${escapeHtml(input.pipeline)}</h1>
${input.description ? `<p>${escapeHtml(input.description)}</p>` : ''}
<p class="meta">${escapeHtml(input.startedAt)} · ${escapeHtml(input.configFile)} · backend ${escapeHtml(input.backend)} · seed ${input.seed} · ${formatDuration(input.durationMs)} · ${input.stages.length - cached} stages computed, ${cached} from cache</p>
<h2>Stage graph</h2>
<div class="graph">${input.graphSvg}</div>
<h2>Stages</h2>
<table><tr><th>stage</th><th>type</th><th>result</th><th>duration</th><th>cache key</th></tr>
${input.stages.map((s) => `<tr><td>${escapeHtml(s.id)}</td><td>${escapeHtml(s.type)}</td><td class="${s.cached ? 'cached' : ''}">${s.cached ? 'cached' : 'computed'}</td><td>${formatDuration(s.durationMs)}</td><td><code>${s.key.slice(0, 12)}</code></td></tr>`).join('\n')}
</table>
<h2>Metrics</h2>
${typeof input.metrics.verdict === 'string' ? `<p class="verdict"><strong>${escapeHtml(input.metrics.verdict)}</strong></p>` : ''}
${scalars.length ? `<table>${scalars.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`).join('')}</table>` : '<p>none</p>'}
${structured.map(([k, v]) => metricTable(k, v)).join('\n')}
<h2>Figures</h2>
${input.figures.map((f) => `<figure id="figure-${escapeHtml(f.name)}"><figcaption>${escapeHtml(f.title || f.name)}</figcaption>${f.svg}</figure>`).join('\n') || '<p>none</p>'}
<h2>Config as run</h2>
<pre>${escapeHtml(JSON.stringify(input.config, null, 2))}</pre>
</body></html>
`;
}
