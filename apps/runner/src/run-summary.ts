import { formatDuration, formatNumber } from './render/format.js';
import { headlineOf } from './runs/run-index.js';
import type { StageRecord } from './runs/run-records.js';

/**
 * The closing lines of a run: where it went, where it computed (none: every stage from the cache), what
 * was cached, the metrics, and the headline (as `runs ls` shows it) and verdict where they are nested.
 */
export function runSummary(
  result: { dir: string; metrics: Record<string, unknown>; stages: StageRecord[] },
  durationMs: number,
  computedOn?: string,
  headline?: string,
): string {
  const cached = result.stages.filter((s) => s.cached).length;
  const lines = [
    `finished in ${formatDuration(durationMs)}${computedOn ? ` on ${computedOn}` : ''}: ${result.stages.length - cached} stages computed, ${cached} from cache`,
  ];
  const m = result.metrics;
  if (typeof m.rmse === 'number' && typeof m.persistenceRmse === 'number') {
    const test = typeof m.dmPValue === 'number' ? `  Diebold-Mariano p=${formatNumber(m.dmPValue)}` : '';
    lines.push(
      `RMSE ${formatNumber(m.rmse)}  persistence RMSE ${formatNumber(m.persistenceRmse)}  ratio ${formatNumber(m.rmse / m.persistenceRmse)}${test}`,
    );
  }
  const scalars = Object.entries(m).filter(([, v]) => typeof v === 'number');
  if (scalars.length) lines.push(`metrics: ${scalars.map(([k, v]) => `${k}=${formatNumber(v)}`).join('  ')}`);
  const judged = headlineOf(m, headline);
  if (judged && !(judged.name in m)) lines.push(`headline: ${judged.name}=${formatNumber(judged.value)}`);
  if (typeof m.verdict === 'string') lines.push(`verdict: ${m.verdict}`);
  lines.push(`output: ${result.dir}`);
  return lines.join('\n') + '\n';
}
