import { valueAtPath } from '@stagegraph/pipeline';

/** A run's param by path: a key of `params`, or a path into one of its lists (`stages.backtest.params.models.5.units`). */
export function paramAt(params: Record<string, unknown>, path: string): unknown {
  if (path in params) return params[path];
  const parent = Object.keys(params)
    .filter((k) => path.startsWith(`${k}.`) || path.startsWith(`${k}[`))
    .sort((a, b) => b.length - a.length)[0];
  if (parent === undefined) return undefined;
  const rest = path.slice(parent.length);
  return valueAtPath(params[parent], rest.startsWith('.') ? rest.slice(1) : rest);
}
