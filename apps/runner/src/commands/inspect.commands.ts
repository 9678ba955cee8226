import {
  escapeControlCharacters,
  graphAsMermaid,
  graphAsText,
  loadPipeline,
  paramsJsonSchema,
  pipelineJsonSchema,
  readConfig,
  registryFor,
  writeFileAtomic,
  type StageRegistry,
} from '@stagegraph/pipeline';
import type { Output } from '../output.js';
import { stagesAsMarkdown, stagesAsText } from '../render/stage-docs.js';
import { BUILT_IN_PLUGINS, workspaceStages } from '../workspace-registry.js';

/** `stagegraph validate`: every check a run makes before it starts, and nothing else. */
export async function validateCommand(args: { config: string; set: string[] }, output: Output): Promise<void> {
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set);
  output.out(`ok: ${args.config}: pipeline "${pipeline.name}", ${pipeline.stages.length} stages\n`);
}

/** `stagegraph graph`: the stage graph as text or Mermaid. */
export async function graphCommand(args: { config: string; set: string[]; format: 'text' | 'mermaid' }, output: Output): Promise<void> {
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set);
  output.out(escapeControlCharacters(args.format === 'mermaid' ? graphAsMermaid(pipeline) : graphAsText(pipeline)) + '\n');
}

/** The built-in stages, and with `--config` the stages of that config's plugins too. */
async function stagesFor(config: string | undefined): Promise<StageRegistry> {
  return config === undefined ? workspaceStages() : registryFor(readConfig(config), BUILT_IN_PLUGINS, config);
}

/** `stagegraph stages [--config FILE] [--format text|json|markdown]`: every registered stage type with its ports and params. */
export async function stagesCommand(args: { format: 'text' | 'json' | 'markdown'; config?: string }, output: Output): Promise<void> {
  const stages = (await stagesFor(args.config)).list();
  if (args.format === 'json') {
    const described = stages.map((s) => ({ type: s.type, version: s.version, description: s.description, inputs: s.inputs, outputs: s.outputs, params: paramsJsonSchema(s) }));
    output.out(JSON.stringify(described, null, 2) + '\n');
  } else output.out(args.format === 'markdown' ? stagesAsMarkdown(stages) : stagesAsText(stages));
}

/** `stagegraph schema [--config FILE]`: the JSON Schema editors use to complete and check configs. */
export async function schemaCommand(args: { out?: string; config?: string }, output: Output): Promise<void> {
  const text = JSON.stringify(pipelineJsonSchema(await stagesFor(args.config)), null, 2) + '\n';
  if (args.out) {
    await writeFileAtomic(args.out, text);
    output.out(`wrote ${args.out}\n`);
  } else output.out(text);
}
