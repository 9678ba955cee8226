import { createHash } from 'node:crypto';
import { figureBrowserScripts, vegaLiteToVega } from '@stagegraph/viz';
import { escapeHtml } from '../render/escape-html.js';
import { formatDuration } from '../render/format.js';
import type { RunRecord } from '../runs/run-records.js';
import { cell, metricLabels, metricTable } from './metric-table.js';

/** A figure as the report shows it. */
export interface ReportFigure {
  /** File base name under figures/. */
  name: string;
  title: string;
  svg: string;
  /** Its Vega-Lite spec: drawn again in the browser, interactive (image grids have none). */
  spec?: Record<string, unknown>;
  /** What its CSV (figures/<name>.csv) holds, when it has one: "predictions", "data". */
  tableName?: string;
  /** The run's metrics it shows in full (the confusion matrix), which the report does not repeat. */
  shows: string[];
}

/** What the report shows: the run's record (run.json) with its metrics, figures and model files. */
export type RunReportInput = Pick<
  RunRecord,
  | 'pipeline'
  | 'configFile'
  | 'config'
  | 'seed'
  | 'backend'
  | 'threads'
  | 'nativeKernels'
  | 'nativeKernelCalls'
  | 'startedAt'
  | 'durationMs'
  | 'git'
  | 'versions'
  | 'machine'
  | 'stages'
> & {
  description?: string;
  metrics: Record<string, unknown>;
  figures: ReportFigure[];
  /** `models/<stage>` with the files in it. */
  models: { name: string; files: string[] }[];
  graphSvg: string;
};

const link = (href: string, text: string) => `<a href="${escapeHtml(href)}" download>${escapeHtml(text)}</a>`;
/** JSON placed inside a <script> element: `<` escaped so no `</script>` can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** A figure once: its own title is drawn in the chart (a caption only for an untitled one), downloads under it. */
function figureHtml(f: ReportFigure): string {
  const downloads = [
    f.tableName && link(`figures/${f.name}.csv`, `${f.tableName} (CSV)`),
    link(`figures/${f.name}.png`, 'PNG'),
    link(`figures/${f.name}.svg`, 'SVG'),
    f.spec && link(`figures/${f.name}.vl.json`, 'Vega-Lite spec'),
  ].filter(Boolean);
  return `<figure id="figure-${escapeHtml(f.name)}" class="chart" aria-label="${escapeHtml(f.title || f.name)}">${f.title ? '' : `<figcaption>${escapeHtml(f.name)}</figcaption>`}<div class="chart-view">${f.svg}</div><p class="downloads">${downloads.join(' · ')}</p></figure>`;
}

/** ", native kernels oneDNN (...): dnnlConv2d 1,200 calls, matmul 900": what was loaded, and what of it ran. */
function nativeKernelsText({ nativeKernels, nativeKernelCalls }: RunReportInput): string {
  if (!nativeKernels) return '';
  if (nativeKernels.startsWith('not loaded')) return `, native kernels ${nativeKernels}`;
  const calls = Object.entries(nativeKernelCalls ?? {})
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`);
  return `, native kernels ${nativeKernels}: ${calls.length ? `${calls.join(', ')} calls` : 'loaded, none called'}`;
}

/** What ran where: commit, backend and threads, the machine, package versions. */
function metadataTable(input: RunReportInput): string {
  const m = input.machine;
  const rows: [string, string][] = [
    [
      'git commit',
      input.git ? `${input.git.commit}${input.git.dirty ? ' (with uncommitted changes)' : ''}` : 'not a git checkout',
    ],
    [
      'backend',
      input.threads // 0: none started, every stage came from the cache or a queue's workers
        ? `${input.backend}, ${input.threads} thread${input.threads === 1 ? '' : 's'}${nativeKernelsText(input)}`
        : `${input.backend} (no stage computed in this process)`,
    ],
    ...(m
      ? ([['machine', `${m.host}: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`]] as [
          string,
          string,
        ][])
      : []),
    ...Object.entries(input.versions ?? {}).map(([name, version]) => [name, version] as [string, string]),
  ];
  return `<table class="metadata">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/**
 * Draws each figure's Vega spec (the #figure-specs element, by figure name) with vega-embed
 * (tooltips, zoom, legend toggles, export menu) over the figure's static `.chart-view`, which stays
 * where scripts are off or drawing fails. Inlined in reports; the web app serves it as
 * /assets/figures.js.
 */
const EMBED_SCRIPT = `(function () {
  var specs = JSON.parse(document.getElementById('figure-specs').textContent);
  var drawn = Object.keys(specs).map(function (name) {
    var figure = document.getElementById('figure-' + name);
    var still = figure.querySelector('.chart-view');
    var live = document.createElement('div');
    live.className = 'chart-view';
    live.hidden = true;
    still.after(live);
    // ast: Vega's expressions interpreted, not compiled with new Function (no 'unsafe-eval' needed)
    return vegaEmbed(live, specs[name], { mode: 'vega', renderer: 'svg', ast: true, actions: { export: true, source: false, compiled: false, editor: false } }).then(
      function () { still.remove(); live.hidden = false; figure.dataset.interactive = 'true'; },
      function (error) { live.remove(); figure.dataset.interactive = 'failed'; console.error(name + ': ' + error); }
    );
  });
  Promise.all(drawn).then(function () { document.body.dataset.figures = 'ready'; });
})();`;

/** The scripts that draw figures interactive, by the name the web app serves each under in /assets. */
export async function figureScripts(): Promise<{ name: string; text: string }[]> {
  const [vega, embed] = await figureBrowserScripts();
  return [
    { name: 'vega.min.js', text: vega },
    { name: 'vega-embed.min.js', text: embed },
    { name: 'figures.js', text: EMBED_SCRIPT },
  ];
}

/** A figure's spec compiled to Vega; undefined for one Vega-Lite refuses (a plugin's), which keeps its static SVG. */
function compiled(spec: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return vegaLiteToVega(spec);
  } catch {
    return undefined;
  }
}

/** The figures' specs for EMBED_SCRIPT, compiled to Vega, in a JSON script element (data, never run). */
export const figureSpecsElement = (figures: { name: string; spec: Record<string, unknown> }[]) =>
  `<script type="application/json" id="figure-specs">${scriptJson(Object.fromEntries(figures.map((f) => [f.name, compiled(f.spec)]).filter(([, spec]) => spec)))}</script>`;

/** The scripts a report inlines, as inlined: Vega, vega-embed and the embedding script. */
const inlineScripts = async () => (await figureScripts()).map(({ text }) => text.replace(/<\/script/gi, '<\\/script'));

/**
 * CSP sources that let exactly the report's own scripts run (`'sha256-...'`): `stagegraph serve`
 * sends them, so a report runs its charts while anything else inline (a plugin's SVG) stays inert.
 */
export const reportScriptHashes = async () =>
  (await inlineScripts()).map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);

/**
 * One run as a self-contained HTML page that opens offline and can be mailed as one file (links to
 * the run folder's files aside): figures as inline SVG, drawn again interactive by Vega and
 * vega-embed inlined at the end; without scripts the SVGs stay.
 */
export async function renderRunReport(input: RunReportInput): Promise<string> {
  const scalars = Object.entries(input.metrics).filter(
    ([k, v]) => k !== 'verdict' && (typeof v === 'number' || typeof v === 'string'),
  );
  // a matrix's class names and a models table's ranking label those tables, and are not shown again beside them
  const { labels, used } = metricLabels(input.metrics);
  const structured = Object.entries(input.metrics).filter(
    ([k, v]) => v !== null && typeof v === 'object' && !used.has(k),
  );
  // a metric a figure shows in full (the confusion matrix) is shown there, not also as a table
  const drawnBy = (name: string) => input.figures.find((f) => f.shows.includes(name));
  const cached = input.stages.filter((s) => s.cached).length;
  const interactive = input.figures.filter((f) => f.spec);
  const scripts = interactive.length ? await inlineScripts() : [];
  const downloads = [
    link('metrics.json', 'metrics (JSON)'),
    link('metrics.csv', 'metrics (CSV)'),
    ...input.models.flatMap((m) => m.files.map((file) => link(`${m.name}/${file}`, `${m.name}/${file}`))),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.pipeline)}: StageGraph run</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{margin-bottom:4px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}.meta{color:#555}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left}.matrix td{min-width:2.5em}.metadata td{text-align:left}figure{margin:16px 0}figcaption{font-weight:bold;margin-bottom:6px}
#vg-tooltip-element td,#vg-tooltip-element th{border:0;padding:1px 4px;background:none}svg{max-width:100%;height:auto}pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}.cached{color:#2a7a2a}.downloads{font-size:13px;margin:4px 0}
</style></head><body>
<h1>${escapeHtml(input.pipeline)}</h1>
${input.description ? `<p>${escapeHtml(input.description)}</p>` : ''}
<p class="meta">${escapeHtml(input.startedAt)} · ${escapeHtml(input.configFile)} · backend ${escapeHtml(input.backend)} · seed ${input.seed} · ${formatDuration(input.durationMs)} · ${input.stages.length - cached} stages computed, ${cached} from cache</p>
<p class="downloads" id="downloads">Download: ${downloads.join(' · ')}</p>
<h2>Stage graph</h2>
<div class="graph">${input.graphSvg}</div>
<h2>Stages</h2>
<table><tr><th>stage</th><th>type</th><th>result</th><th>duration</th><th>cache key</th></tr>
${input.stages.map((s) => `<tr><td>${escapeHtml(s.id)}</td><td>${escapeHtml(s.type)}</td><td class="${s.cached ? 'cached' : ''}">${s.cached ? 'cached' : 'computed'}</td><td>${formatDuration(s.durationMs)}</td><td><code>${s.key.slice(0, 12)}</code></td></tr>`).join('\n')}
</table>
<h2>Metrics</h2>
${typeof input.metrics.verdict === 'string' ? `<p class="verdict"><strong>${escapeHtml(input.metrics.verdict)}</strong></p>` : ''}
${scalars.length ? `<table>${scalars.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`).join('')}</table>` : '<p>none</p>'}
${structured
  .map(([k, v]) => {
    const figure = drawnBy(k);
    return figure
      ? `<p>${escapeHtml(k)}: drawn in <a href="#figure-${escapeHtml(figure.name)}">${escapeHtml(figure.title || figure.name)}</a> below; its numbers are in metrics.json and metrics.csv.</p>`
      : metricTable(k, v, labels.get(k));
  })
  .join('\n')}
<h2>Figures</h2>
${input.figures.map(figureHtml).join('\n') || '<p>none</p>'}
<h2>Run</h2>
${metadataTable(input)}
<h2>Config as run</h2>
<pre>${escapeHtml(JSON.stringify(input.config, null, 2))}</pre>
${
  interactive.length
    ? `${figureSpecsElement(interactive as Required<ReportFigure>[])}
${scripts.map((script) => `<script>${script}</script>`).join('\n')}`
    : ''
}
</body></html>
`;
}
