/** One metrics output of a stage, as the run received it. */
export interface EmittedMetrics {
  stageId: string;
  port: string;
  values: Record<string, unknown>;
}

/** Where a metric of metrics.json came from: the output (`<stage>.<port>`) and its name there. */
export interface MetricSource {
  output: string;
  name: string;
}

/**
 * The run's metrics under their metrics.json names. A name one stage emits keeps its bare name; a
 * name two or more stages emit is `<stageId>.<name>` for every one of them (`<stageId>.<port>.<name>`
 * where one stage emits it from two ports). `outputs` come in graph order, so the names and their
 * order follow from what each stage emits, never from which stage finished first.
 */
export function nameMetrics(outputs: readonly EmittedMetrics[]): {
  metrics: Record<string, unknown>;
  sources: Map<string, MetricSource>;
} {
  const emitters = new Map<string, EmittedMetrics[]>();
  for (const output of outputs)
    for (const name of Object.keys(output.values)) emitters.set(name, [...(emitters.get(name) ?? []), output]);
  const metrics: Record<string, unknown> = {};
  const sources = new Map<string, MetricSource>();
  for (const output of outputs) {
    for (const [name, value] of Object.entries(output.values)) {
      const others = emitters.get(name)!;
      const samePlace = others.filter((o) => o.stageId === output.stageId).length > 1;
      const key =
        others.length === 1
          ? name
          : samePlace
            ? `${output.stageId}.${output.port}.${name}`
            : `${output.stageId}.${name}`;
      metrics[key] = value;
      sources.set(key, { output: `${output.stageId}.${output.port}`, name });
    }
  }
  return { metrics, sources };
}
