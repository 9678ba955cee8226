import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';

// Small server-rendered SVG charts for the web app: they need no script (the CSP allows none
// inline), and each point carries a <title>, which browsers show as a tooltip on hover.

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const W = 560;
const H = 300;
const M = { left: 64, right: 16, top: 16, bottom: 44 };

/** Smallest and largest finite value, by a loop: `Math.min(...values)` overflows the stack past ~100k values. */
function extent(values: number[]): [number, number] {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function scale(values: number[], from: number, to: number, log = false) {
  const f = (v: number) => (log ? Math.log10(v) : v);
  let [lo, hi] = extent(values.map(f));
  // one value: a range around it (relative as well, since 1e20 - 1 === 1e20)
  if (lo === hi) [lo, hi] = [lo - 1 - Math.abs(lo) * 0.01, hi + 1 + Math.abs(hi) * 0.01];
  const pad = (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const at = (v: number) => (Number.isFinite(f(v)) ? from + ((f(v) - lo) / (hi - lo)) * (to - from) : from);
  // whole-number data (epochs, units) gets whole-number ticks; only where adding the step moves t (below 2^53)
  if (!log && values.every(Number.isSafeInteger) && hi - lo <= 40) {
    const step = Math.max(1, Math.ceil((hi - lo) / 6));
    const ticks = [];
    for (let t = Math.ceil(lo); t <= hi && ticks.length < 12; t += step) ticks.push(t);
    return { at, ticks };
  }
  const ticks = Array.from({ length: 5 }, (_, i) => lo + ((hi - lo) * i) / 4).map((t) => (log ? 10 ** t : t));
  return { at, ticks };
}

/** At most this many points of a line are drawn: a history of 250,000 epochs is still one page. */
const MAX_LINE_POINTS = 2000;
const thinned = <T>(points: T[]) =>
  points.length <= MAX_LINE_POINTS
    ? points
    : points.filter((_, i) => i % Math.ceil(points.length / MAX_LINE_POINTS) === 0 || i === points.length - 1);

function frame(
  xLabel: string,
  yLabel: string,
  x: ReturnType<typeof scale> | { at: (v: number) => number; ticks: number[]; names?: string[] },
  y: ReturnType<typeof scale>,
  body: string,
  legend = '',
  legendRows = 0,
): string {
  const height = H + legendRows * 14;
  const xTicks = x.ticks
    .map(
      (t, i) =>
        `<g><line x1="${x.at(t)}" x2="${x.at(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#999"/><text x="${x.at(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml('names' in x && x.names ? x.names[i] : formatNumber(t))}</text></g>`,
    )
    .join('');
  const yTicks = y.ticks
    .map(
      (t) =>
        `<g><line x1="${M.left - 4}" x2="${W - M.right}" y1="${y.at(t)}" y2="${y.at(t)}" stroke="#eee"/><text x="${M.left - 6}" y="${y.at(t) + 4}" text-anchor="end">${formatNumber(t)}</text></g>`,
    )
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" font-size="11" font-family="DejaVu Sans, sans-serif">
${yTicks}${xTicks}
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#999"/>
<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>
${body}${legend}</svg>`;
}

export interface LineSeries {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

/** Lines over a shared x axis (training curves of several runs), each point with a tooltip. */
export function lineChart(lines: LineSeries[], xLabel: string, yLabel: string): string {
  const series = lines.map((s) => ({ ...s, points: thinned(s.points) }));
  const all = series.flatMap((s) => s.points);
  if (!all.length) return '';
  const x = scale(
    all.map(([v]) => v),
    M.left,
    W - M.right,
  );
  const y = scale(
    all.map(([, v]) => v),
    H - M.bottom,
    M.top,
  );
  const body = series
    .map((s) => {
      const path = s.points.map(([a, b], i) => `${i ? 'L' : 'M'}${x.at(a).toFixed(1)},${y.at(b).toFixed(1)}`).join('');
      const dots = s.points
        .map(
          ([a, b]) =>
            `<circle cx="${x.at(a).toFixed(1)}" cy="${y.at(b).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeHtml(`${s.name}: ${xLabel} ${formatNumber(a)}, ${yLabel} ${formatNumber(b)}`)}</title></circle>`,
        )
        .join('');
      return `<g class="series" data-series="${escapeHtml(s.name)}"><path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>${dots}</g>`;
    })
    .join('\n');
  const legend = series
    .map(
      (s, i) =>
        `<g transform="translate(${M.left} ${H + 4 + i * 14})"><line x1="0" x2="18" y1="0" y2="0" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="22" y="4">${escapeHtml(s.name)}</text></g>`,
    )
    .join('');
  return frame(xLabel, yLabel, x, y, body, `<g class="legend">${legend}</g>`, series.length);
}

export interface ScatterPoint {
  x: number | string;
  y: number;
  label: string;
  href?: string;
  best?: boolean;
  /** The dot's colour (default: blue, red for the best). */
  color?: string;
}

/** One dot per point, numeric x (log scale when it spans decades) or categories; a dot links to its run. */
export function scatterChart(points: ScatterPoint[], xLabel: string, yLabel: string): string {
  if (!points.length) return '';
  const numeric = points.every((p) => typeof p.x === 'number');
  const xs = points.map((p) => p.x);
  let x: { at: (v: number) => number; ticks: number[]; names?: string[] };
  let xOf: (p: ScatterPoint) => number;
  if (numeric) {
    const values = xs as number[];
    const [lo, hi] = extent(values);
    const log = lo > 0 && hi / lo >= 100;
    x = scale(values, M.left, W - M.right, log);
    xOf = (p) => x.at(p.x as number);
  } else {
    const names = [...new Set(xs.map((v) => String(v)))];
    const step = (W - M.left - M.right) / names.length;
    x = { at: (i: number) => M.left + step * (i + 0.5), ticks: names.map((_, i) => i), names };
    xOf = (p) => x.at(names.indexOf(String(p.x)));
  }
  const y = scale(
    points.map((p) => p.y),
    H - M.bottom,
    M.top,
  );
  const body = points
    .map((p) => {
      const dot = `<circle cx="${xOf(p).toFixed(1)}" cy="${y.at(p.y).toFixed(1)}" r="${p.best ? 6 : 4.5}" fill="${p.color ?? (p.best ? PALETTE[1] : PALETTE[0])}" stroke="${p.best ? '#000' : 'none'}" fill-opacity="0.8"><title>${escapeHtml(`${p.label}: ${xLabel} ${typeof p.x === 'number' ? formatNumber(p.x) : p.x}, ${yLabel} ${formatNumber(p.y)}`)}</title></circle>`;
      return p.href ? `<a href="${escapeHtml(p.href)}">${dot}</a>` : dot;
    })
    .join('\n');
  return frame(xLabel, yLabel, x, y, body);
}
