import {
  checkStageData,
  escapeControlCharacters,
  graphAsJson,
  graphAsMermaid,
  isUserInputError,
  graphAsText,
  loadPipeline,
  paramsJsonSchema,
  pipelineJsonSchema,
  readConfig,
  registryFor,
  validateConfig,
  writeFileAtomic,
  type StageRegistry,
} from '@stagegraph/pipeline';
import { planSweep } from '../sweep/trial-configs.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../cli-error.js';
import type { Output } from '../output.js';
import { stagesAsMarkdown, stagesAsText } from '../render/stage-docs.js';
import { BUILT_IN_PLUGINS, PORT_KINDS, workspaceStages } from '../workspace-registry.js';

/**
 * `stagegraph validate`: every check a run makes before it starts, then (unless `--no-data`) each
 * stage's cheap look at its data (`check`: a file's header and first rows). With --json, the verdict
 * on stdout either way (`{ok, errors}` for an editor or a CI step), exit 2 when bad.
 */
export async function validateAction(
  args: { config: string; set: string[]; json: boolean; data: boolean },
  output: Output,
): Promise<number> {
  try {
    const raw = readConfig(args.config, args.set) as Record<string, unknown>;
    const registry = await registryFor(raw, BUILT_IN_PLUGINS, args.config, PORT_KINDS);
    const pipeline = validateConfig(raw, registry, args.config);
    const { sweep } = pipeline.config;
    if (sweep) planSweep(raw, sweep, registry, args.config, pipeline.seed); // every trial's config, as `sweep` checks them
    if (args.data) await checkStageData(pipeline, process.cwd(), args.config);
    if (args.json)
      output.out(JSON.stringify({ ok: true, config: args.config, ...graphAsJson(pipeline) }, null, 2) + '\n');
    else output.out(`ok: ${args.config}: pipeline "${pipeline.name}", ${pipeline.stages.length} stages\n`);
    return EXIT_OK;
  } catch (error) {
    if (!args.json || !isUserInputError(error)) throw error;
    output.out(
      JSON.stringify({ ok: false, config: args.config, errors: (error as Error).message.split('\n') }, null, 2) + '\n',
    );
    return EXIT_BAD_INPUT;
  }
}

/** `stagegraph graph`: the stage graph as text, Mermaid or JSON. */
export async function graphAction(
  args: { config: string; set: string[]; format: 'text' | 'mermaid' | 'json' },
  output: Output,
): Promise<void> {
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set, PORT_KINDS);
  if (args.format === 'json') output.out(JSON.stringify(graphAsJson(pipeline), null, 2) + '\n');
  else
    output.out(
      escapeControlCharacters(args.format === 'mermaid' ? graphAsMermaid(pipeline) : graphAsText(pipeline)) + '\n',
    );
}

/** The built-in stages, and with `--config` the stages of that config's plugins too. */
async function stagesFor(config: string | undefined): Promise<StageRegistry> {
  return config === undefined
    ? workspaceStages()
    : registryFor(readConfig(config), BUILT_IN_PLUGINS, config, PORT_KINDS);
}

/** `stagegraph stages [--config FILE] [--format text|json|markdown]`: every registered stage type with its ports and params. */
export async function stagesAction(
  args: { format: 'text' | 'json' | 'markdown'; config?: string },
  output: Output,
): Promise<void> {
  const stages = (await stagesFor(args.config)).list();
  if (args.format === 'json') {
    const described = stages.map((s) => ({
      type: s.type,
      version: s.version,
      description: s.description,
      inputs: s.inputs,
      outputs: s.outputs,
      params: paramsJsonSchema(s),
    }));
    output.out(JSON.stringify(described, null, 2) + '\n');
  } else output.out(args.format === 'markdown' ? stagesAsMarkdown(stages) : stagesAsText(stages));
}

/** `stagegraph schema [--config FILE]`: the JSON Schema editors use to complete and check configs. */
export async function schemaAction(args: { out?: string; config?: string }, output: Output): Promise<void> {
  const text = JSON.stringify(pipelineJsonSchema(await stagesFor(args.config)), null, 2) + '\n';
  if (args.out) {
    await writeFileAtomic(args.out, text);
    output.out(`wrote ${args.out}\n`);
  } else output.out(text);
}
