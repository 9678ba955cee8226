import type { ValidatedPipeline } from './validate-config.js';

/** The stage graph as indented text: each stage with its type and the ports it reads. */
export function graphAsText(pipeline: ValidatedPipeline): string {
  const lines = [`${pipeline.name} (${pipeline.stages.length} stages, seed ${pipeline.seed})`];
  for (const stage of pipeline.stages) {
    lines.push(`  ${stage.id} [${stage.definition.type}]`);
    for (const [port, ref] of Object.entries(stage.inputs)) lines.push(`    ${port} <- ${ref.stage}.${ref.port}`);
  }
  return lines.join('\n');
}

/** The stage graph as data (`stagegraph graph --json`): stages in run order, an edge per input. */
export function graphAsJson(pipeline: ValidatedPipeline) {
  return {
    pipeline: pipeline.name,
    seed: pipeline.seed,
    stages: pipeline.stages.map((stage) => ({
      id: stage.id,
      type: stage.definition.type,
      version: stage.definition.version,
    })),
    edges: pipeline.stages.flatMap((stage) =>
      Object.entries(stage.inputs).map(([port, ref]) => ({
        from: `${ref.stage}.${ref.port}`,
        to: `${stage.id}.${port}`,
      })),
    ),
  };
}

/** The stage graph as a Mermaid flowchart, edges labelled `output -> input`. */
export function graphAsMermaid(pipeline: ValidatedPipeline): string {
  const lines = ['flowchart LR'];
  for (const stage of pipeline.stages)
    lines.push(`  ${stage.id}["${stage.id}<br/><small>${stage.definition.type}</small>"]`);
  for (const stage of pipeline.stages) {
    for (const [port, ref] of Object.entries(stage.inputs)) {
      lines.push(`  ${ref.stage} -- "${ref.port === port ? port : `${ref.port} → ${port}`}" --> ${stage.id}`);
    }
  }
  return lines.join('\n');
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/**
 * The stage graph as a standalone SVG: stages in columns by depth (longest path from a source),
 * edges as curves from output to input. Cached stages can be shaded.
 */
export function graphAsSvg(pipeline: ValidatedPipeline, cached: Set<string> = new Set()): string {
  const depth = new Map<string, number>();
  for (const stage of pipeline.stages)
    depth.set(stage.id, Math.max(-1, ...Object.values(stage.inputs).map((ref) => depth.get(ref.stage)!)) + 1);
  const columns: string[][] = [];
  for (const stage of pipeline.stages) (columns[depth.get(stage.id)!] ??= []).push(stage.id);
  const [boxWidth, boxHeight, gapX, gapY, pad] = [170, 44, 60, 18, 12];
  const position = new Map<string, { x: number; y: number }>();
  columns.forEach((ids, column) =>
    ids.forEach((id, row) =>
      position.set(id, { x: pad + column * (boxWidth + gapX), y: pad + row * (boxHeight + gapY) }),
    ),
  );
  const width = pad * 2 + columns.length * boxWidth + (columns.length - 1) * gapX;
  const height = pad * 2 + Math.max(...columns.map((ids) => ids.length)) * (boxHeight + gapY) - gapY;
  const edges = pipeline.stages.flatMap((stage) =>
    Object.values(stage.inputs).map((ref) => {
      const from = position.get(ref.stage)!;
      const to = position.get(stage.id)!;
      const [x1, y1, x2, y2] = [from.x + boxWidth, from.y + boxHeight / 2, to.x, to.y + boxHeight / 2];
      return `<path d="M${x1},${y1} C${x1 + gapX / 2},${y1} ${x2 - gapX / 2},${y2} ${x2},${y2}" fill="none" stroke="#888" stroke-width="1.2"><title>${escapeXml(`${ref.stage}.${ref.port} → ${stage.id}`)}</title></path>`;
    }),
  );
  const boxes = pipeline.stages.map((stage) => {
    const { x, y } = position.get(stage.id)!;
    return (
      `<g><rect x="${x}" y="${y}" width="${boxWidth}" height="${boxHeight}" rx="6" fill="${cached.has(stage.id) ? '#e8f0e8' : '#e8eef8'}" stroke="#556"/>` +
      `<text x="${x + boxWidth / 2}" y="${y + 18}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="13" font-weight="bold">${escapeXml(stage.id)}</text>` +
      `<text x="${x + boxWidth / 2}" y="${y + 34}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="10" fill="#444">${escapeXml(stage.definition.type)}</text></g>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${edges.join('')}${boxes.join('')}</svg>`;
}
