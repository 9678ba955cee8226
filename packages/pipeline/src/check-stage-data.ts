import { ConfigError, isUserInputError } from './errors.js';
import type { ValidatedPipeline } from './validate-config.js';

/**
 * Runs each stage's `check` (a cheap look at the data its params name: a file's header and first
 * rows, a folder's listing), one stage after another, and throws every problem found as one
 * ConfigError, one line each: what `validate` adds to the config's checks unless `--no-data`.
 */
export async function checkStageData(pipeline: ValidatedPipeline, workDir: string, file?: string): Promise<void> {
  const issues: string[] = [];
  for (const stage of pipeline.stages) {
    const check = stage.definition.check;
    if (!check) continue;
    const paramsPath = `stages.${stage.id}.params`;
    try {
      issues.push(...(await check(stage.params, { workDir, paramsPath })));
    } catch (error) {
      // a loader's own one-line refusal (no such folder, say): under the stage's params, unless it names them
      if (!isUserInputError(error)) throw error;
      const lines = error.message.split('\n');
      issues.push(...lines.map((line) => (line.startsWith(`${paramsPath}.`) ? line : `${paramsPath}: ${line}`)));
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, file);
}
