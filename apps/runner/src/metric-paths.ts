/**
 * A run's numeric metrics by path, as `--set` and metrics.csv name them: top-level numbers, numbers
 * of nested objects with dotted names (`models.lstm-small.rmse`), and `best.<name>` for the scores of
 * the model a selection or backtest names as `best`. Lists (confusion matrices, per-class rows) are
 * left out: they are figures, not columns.
 */
export function numericMetricPaths(metrics: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  const visit = (name: string, value: unknown, depth: number) => {
    if (typeof value === 'number') out[name] = value;
    else if (depth < 4 && value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [key, inner] of Object.entries(value)) visit(`${name}.${key}`, inner, depth + 1);
  };
  for (const [name, value] of Object.entries(metrics)) visit(name, value, 0);
  const { models, best } = metrics;
  const bestScores =
    typeof best === 'string' && typeof models === 'object' && models !== null && !Array.isArray(models)
      ? (models as Record<string, unknown>)[best]
      : undefined;
  if (typeof bestScores === 'object' && bestScores !== null)
    for (const [key, value] of Object.entries(bestScores)) if (typeof value === 'number') out[`best.${key}`] = value;
  return out;
}

/**
 * metrics.json as rows a table can show (`runs show`, `runs diff`): each nested object's numbers as
 * their own paths (numericMetricPaths), every other top-level value (text, lists) as it is.
 */
export function metricColumns(metrics: Record<string, unknown>): Record<string, unknown> {
  const paths = numericMetricPaths(metrics);
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(metrics)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const path of Object.keys(paths)) if (path.startsWith(`${name}.`)) out[path] = paths[path];
    } else out[name] = value;
  }
  for (const path of Object.keys(paths)) if (path.startsWith('best.')) out[path] = paths[path];
  return out;
}
