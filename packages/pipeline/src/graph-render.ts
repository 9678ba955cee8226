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

/** The stage graph as a Mermaid flowchart, edges labelled `output -> input`. */
export function graphAsMermaid(pipeline: ValidatedPipeline): string {
  const lines = ['flowchart LR'];
  for (const stage of pipeline.stages) lines.push(`  ${stage.id}["${stage.id}<br/><small>${stage.definition.type}</small>"]`);
  for (const stage of pipeline.stages) {
    for (const [port, ref] of Object.entries(stage.inputs)) {
      lines.push(`  ${ref.stage} -- "${ref.port === port ? port : `${ref.port} → ${port}`}" --> ${stage.id}`);
    }
  }
  return lines.join('\n');
}
