import { csvTable } from '../render/table.js';

/**
 * metrics.json as CSV, one row per number or label: nested values get dotted names
 * (`confusionMatrix.3.5`, `models.persistence.rmse`), as pandas' json_normalize names them.
 */
export function metricsCsv(metrics: Record<string, unknown>): string {
  const rows: { metric: string; value: unknown }[] = [];
  const visit = (name: string, value: unknown) => {
    if (value !== null && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) visit(`${name}.${key}`, inner);
    else rows.push({ metric: name, value });
  };
  for (const [name, value] of Object.entries(metrics)) visit(name, value);
  return csvTable({ columns: ['metric', 'value'], rows });
}
