import { escapeHtml } from '../render/escape-html.js';
import { formatNumber } from '../render/format.js';
import { bareMetric, headlineGoal } from '../runs/headline-goal.js';
import type { RunEntry } from '../runs/run-index.js';
import { runUrl } from './pages.js';

/** The run the forecast page shows, and why that one, as a sentence of HTML. */
export interface ForecastPick {
  run: RunEntry;
  why: string;
}

type Ranked = RunEntry & { headline: NonNullable<RunEntry['headline']> };

const linked = (run: RunEntry) => `<a href="/forecast?run=${encodeURIComponent(run.id)}">${escapeHtml(run.id)}</a>`;
const score = (run: Ranked) => `${escapeHtml(run.headline.name)} ${formatNumber(run.headline.value)}`;

/** The params that say which series a run forecast (a loader's path, column, dateColumn and where), as `k=v` text. */
const SERIES_PARAM = /^stages\.[^.]+\.params\.(path|column|dateColumn|where)$/;
export function seriesOf(run: RunEntry): string {
  return Object.entries(run.params ?? {}) // records made by hand (specs, other tools) may lack params
    .filter(([key]) => SERIES_PARAM.test(key))
    .map(
      ([key, value]) =>
        `${key.slice(key.lastIndexOf('.') + 1)}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    )
    .join(', ');
}

/**
 * The best run of the newest forecast run's pipeline on the same series (a pipeline run on other data
 * has errors on another scale) by its headline metric (the lowest RMSE of a
 * backtest's best model; the newest among equals), not merely the newest: a run made later with
 * smaller settings must not hide a better one. Runs are compared only on the same metric (`rmse`
 * against `rmse`, whichever model scored it); one without a headline is shown as the newest.
 */
export function pickForecastRun(runs: RunEntry[]): ForecastPick | undefined {
  const newest = runs[0];
  if (!newest) return undefined;
  if (!newest.headline || !Number.isFinite(newest.headline.value))
    return { run: newest, why: `the newest forecast run; it has no headline metric to rank runs by.` };
  const metric = bareMetric(newest.headline.name);
  const goal = headlineGoal(metric);
  const series = seriesOf(newest);
  const peers = runs.filter(
    (r): r is Ranked =>
      r.pipeline === newest.pipeline &&
      seriesOf(r) === series &&
      r.headline !== undefined &&
      bareMetric(r.headline.name) === metric &&
      Number.isFinite(r.headline.value),
  );
  const better = (a: Ranked, b: Ranked) =>
    goal === 'min' ? b.headline.value < a.headline.value : b.headline.value > a.headline.value;
  const best = peers.reduce((kept, run) => (better(kept, run) ? run : kept));
  const pipeline = `${escapeHtml(newest.pipeline)}${series ? ` (${escapeHtml(series)})` : ''}`;
  const direction = goal === 'min' ? 'lower is better' : 'higher is better';
  if (peers.length === 1) return { run: best, why: `the only ${pipeline} run (${score(best)}).` };
  const of = `the best of ${peers.length} ${pipeline} runs by ${escapeHtml(metric)} (${direction}): ${score(best)}`;
  if (best === newest) return { run: best, why: `${of}, and the newest.` };
  return { run: best, why: `${of}; the newest, ${linked(newest)}, has ${score(newest as Ranked)}.` };
}

/** The sentence above the forecast: which run, and why it was chosen. */
export const pickNote = (pick: ForecastPick) =>
  `<p class="why" id="why-run">Showing <a href="${runUrl(pick.run.id, 'report.html')}"><strong>${escapeHtml(pick.run.id)}</strong></a>: ${pick.why}</p>`;
