import type { SeriesRows } from '@stagegraph/contracts';
import type { ModelSpec, RunnableModelSpec, SeriesLstmSpec } from './model-specs.js';
import { needsPositiveLevels } from './targets.js';

type LstmSpec = Extract<ModelSpec, { type: 'lstm' }>;

/** The target a ratio target falls back to on a series with a value <= 0: changes are defined for every value. */
export const RATIO_FALLBACK = 'difference' as const;

/** The features an lstm reads from this series, and the line that says which (and which it asked for that are not there). */
function seriesFeatures(
  name: string,
  wanted: LstmSpec['features'],
  series: SeriesRows,
): [string[] | undefined, string?] {
  if (wanted === undefined) return [undefined];
  const carried = Object.keys(series.features ?? {});
  if (wanted === 'all')
    return [
      carried,
      carried.length
        ? `${name}: reads features ${carried.slice(0, 8).join(', ')}${carried.length > 8 ? ` and ${carried.length - 8} more` : ''} (all the series carries)`
        : `${name}: reads no features (the series carries none; load-csv's features param carries columns)`,
    ];
  const present = wanted.filter((f) => carried.includes(f));
  const absent = wanted.filter((f) => !carried.includes(f));
  if (absent.length === 0) return [present, `${name}: reads features ${present.join(', ')}`];
  const lacking = `the series carries no ${absent.join(', ')} (load-csv's features param)`;
  return [present, `${name}: reads ${present.length ? `features ${present.join(', ')}` : 'no features'}; ${lacking}`];
}

/** A ratio target on a series with a value <= 0 becomes a difference: the line that says so, with the first such value. */
function seriesTarget(name: string, target: LstmSpec['target'], series: SeriesRows): [LstmSpec['target'], string?] {
  if (!needsPositiveLevels(target)) return [target];
  const at = series.values.findIndex((v) => !(v > 0));
  if (at < 0) return [target];
  return [
    RATIO_FALLBACK,
    `${name}: a ${target} target needs positive values, the series has ${series.values[at]} on ${series.dates[at]}; uses ${RATIO_FALLBACK} instead`,
  ];
}

/**
 * The models as they run on this series, and one line for each that adapts: an lstm reads the
 * features the series carries (`"all"`, or those of its list the series has), and a ratio target
 * (log-return, percent-change, window-normalised) on a series with a value <= 0 becomes `difference`.
 * Decided once on the whole series, so every fold of a backtest fits the same model; the name is
 * settled first, so a model keeps its name whatever its target becomes.
 */
export function adaptModels(
  specs: readonly ModelSpec[],
  series: SeriesRows,
): { specs: RunnableModelSpec[]; notes: string[] } {
  const notes: string[] = [];
  const adapted = specs.map((spec): RunnableModelSpec => {
    if (spec.type !== 'lstm') return spec;
    const name = spec.name ?? `lstm-${spec.target}`;
    const [features, featureNote] = seriesFeatures(name, spec.features, series);
    const [target, targetNote] = seriesTarget(name, spec.target, series);
    notes.push(...[featureNote, targetNote].filter((note): note is string => note !== undefined));
    const { features: _asked, ...rest } = spec;
    const runnable: SeriesLstmSpec = { ...rest, name, target };
    return features === undefined ? runnable : { ...runnable, features };
  });
  return { specs: adapted, notes };
}
