import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';
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
