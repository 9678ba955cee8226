import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';

/** What a structured metric's siblings in metrics.json say about it: a matrix's class names, a models table's order. */
export interface MetricLabels {
  /** Names of a matrix's rows and columns (its `classes`). */
  classes?: string[];
  /** A models table's rows from best to worst (its `ranking`), and the candidate the others are measured against. */
  ranking?: string[];
  baseline?: string;
  /** Models a backtest could not run (its `notRun`): rows of their own at the table's end, with why. */
  notRun?: { name: string; reason: string }[];
}

export const cell = (value: unknown) =>
  `<td>${escapeHtml(typeof value === 'number' ? formatNumber(value) : String(value))}</td>`;
const isMatrix = (value: unknown): value is unknown[][] =>
  Array.isArray(value) && value.length > 0 && value.every((row) => Array.isArray(row));
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');
const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);
const header = (text: string) => `<th>${escapeHtml(text)}</th>`;
const isNotRun = (value: unknown): value is { name: string; reason: string }[] =>
  Array.isArray(value) &&
  value.every((row) => isRecord(row) && typeof row.name === 'string' && typeof row.reason === 'string');

/** A model that did not run, as a row of the models table: its name, and why across the score columns. */
const notRunRow = (model: { name: string; reason: string }, columns: number) =>
  `<tr class="not-run">${header(`${model.name} (not run)`)}<td colspan="${columns}">${escapeHtml(model.reason)}</td></tr>`;

/**
 * The siblings each structured metric is labelled by (`<prefix>classes` beside `<prefix>confusionMatrix`,
 * `<prefix>ranking` and `<prefix>baseline` beside `<prefix>models`, where a prefix is the stage a name came
 * from in metrics.json), and the names of those siblings, which the table then shows in place.
 */
export function metricLabels(metrics: Record<string, unknown>): {
  labels: Map<string, MetricLabels>;
  used: Set<string>;
} {
  const labels = new Map<string, MetricLabels>();
  const used = new Set<string>();
  const sibling = (key: string, own: string, name: string) => key.slice(0, key.length - own.length) + name;
  for (const [key, value] of Object.entries(metrics)) {
    if (key.endsWith('confusionMatrix') && isMatrix(value)) {
      const classes = metrics[sibling(key, 'confusionMatrix', 'classes')];
      if (isStrings(classes) && classes.length === value.length) {
        labels.set(key, { classes });
        used.add(sibling(key, 'confusionMatrix', 'classes'));
      }
    } else if (key.endsWith('models') && isRecord(value)) {
      const ranking = metrics[sibling(key, 'models', 'ranking')];
      const baseline = metrics[sibling(key, 'models', 'baseline')];
      if (isStrings(ranking) && ranking.length === Object.keys(value).length && ranking.every((m) => m in value)) {
        labels.set(key, { ranking, ...(typeof baseline === 'string' && { baseline }) });
        used.add(sibling(key, 'models', 'ranking'));
      }
      const notRun = metrics[sibling(key, 'models', 'notRun')];
      if (isNotRun(notRun)) {
        labels.set(key, { ...labels.get(key), notRun });
        used.add(sibling(key, 'models', 'notRun'));
      }
    }
  }
  return { labels, used };
}

/** A metric as HTML: matrices, rows of objects and records of rows as tables, labelled by `labels`. */
export function metricTable(name: string, value: unknown, labels: MetricLabels = {}): string {
  const title = `<h3>${escapeHtml(name)}</h3>`;
  if (isMatrix(value)) {
    const label = (i: number) => labels.classes?.[i] ?? String(i);
    return `${title}<table class="matrix"><tr><th>${labels.classes ? 'actual \\ predicted' : ''}</th>${value[0].map((_, j) => header(label(j))).join('')}</tr>${value.map((row, i) => `<tr>${header(label(i))}${row.map(cell).join('')}</tr>`).join('')}</table>`;
  }
  if (Array.isArray(value) && value.length && value.every(isRecord)) {
    const columns = Object.keys(value[0]);
    return `${title}<table><tr>${columns.map(header).join('')}</tr>${value.map((row) => `<tr>${columns.map((c) => cell(row[c])).join('')}</tr>`).join('')}</table>`;
  }
  const rows = isRecord(value) ? Object.entries(value) : [];
  if (rows.length && rows.every(([, row]) => isRecord(row))) {
    // a record of rows ({"<model>": {rmse, ...}}): one row per key, the union of their fields as columns, best first when ranked
    const ranked = labels.ranking ? labels.ranking.map((key) => [key, (value as Record<string, unknown>)[key]]) : rows;
    const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row as object)))];
    const rowName = (key: string, i: number) =>
      labels.ranking ? `${i + 1}. ${key}${key === labels.baseline ? ' (baseline)' : ''}` : key;
    const notRun = (labels.notRun ?? []).map((model) => notRunRow(model, columns.length)).join('');
    return `${title}<table><tr><th></th>${columns.map(header).join('')}</tr>${ranked.map(([key, row], i) => `<tr>${header(rowName(key as string, i))}${columns.map((c) => cell((row as Record<string, unknown>)[c] ?? '')).join('')}</tr>`).join('')}${notRun}</table>`;
  }
  if (rows.length && rows.every(([, v]) => typeof v !== 'object' || v === null)) {
    // a record of numbers or labels ({rows, of}): one row per field
    return `${title}<table>${rows.map(([key, v]) => `<tr>${header(key)}${cell(v)}</tr>`).join('')}</table>`;
  }
  return `${title}<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}
