import { z } from 'zod';
import { sweepSchema } from './sweep-schema.js';

/** The shape of a pipeline config file, before stage types and wiring are checked. */
export const stageEntrySchema = z.strictObject({
  type: z.string().min(1),
  description: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  inputs: z.record(z.string(), z.string()).optional(),
});

export const STAGE_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const pipelineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  // printed in every run's output and folder name: no control characters (a config must not drive the terminal),
  // and short enough that <name>-<time> fits a file name (255 bytes on most file systems)
  name: z
    .string()
    .min(1)
    .max(200, 'expected a name of at most 200 characters (it names each run folder)')
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'expected a name without control characters'),
  description: z.string().optional(),
  /** The metric `runs ls`, the web app and compare show a run by (`models.origin-recipe.rmseRatio`); else one is chosen. */
  headline: z.string().min(1).max(500).optional(),
  /** Modules whose `stages` join the built-in ones: paths relative to the config, or package names. */
  plugins: z.array(z.string().min(1)).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Several runs over a search space (`stagegraph sweep`); `stagegraph run` runs the config as written. */
  sweep: sweepSchema.optional(),
  stages: z.record(
    z.string().regex(STAGE_ID, 'a stage id starts with a letter and holds letters, digits, "_" or "-"'),
    stageEntrySchema,
  ),
});

export type StageEntry = z.infer<typeof stageEntrySchema>;
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
