import { z } from 'zod';
import { readRecord } from '../runs/read-record.js';
import type { RunEntry } from '../runs/run-index.js';

/** How a run's image model turns an image into its input: which page of the app it gets. */
export type ImageSteps = 'mnist-digits' | 'resized';

/** The part of model.json that says it: the class names models-cnn.train stores (core-tensor's setClassNames). */
const STORED_CLASSES = z.looseObject({
  userDefinedMetadata: z
    .looseObject({ classes: z.looseObject({ images: z.string().optional() }).optional() })
    .optional(),
});

/**
 * Each image run's steps, read from its first model's model.json without loading it (the runs page
 * lists many runs): 'resized' where the stored class names say so (a model trained on a folder of
 * images), else 'mnist-digits'. A model saved without them is a digit model here, as every such
 * model was; its page loads it (imageModelInfo, which also reads the input shape) and sends one
 * whose shape says otherwise from /draw to /upload.
 */
export async function storedImageSteps(runsDir: string, runs: RunEntry[]): Promise<Map<string, ImageSteps>> {
  const steps = new Map<string, ImageSteps>();
  await Promise.all(
    runs
      .filter((run) => run.imageModels.length)
      .map(async (run) => {
        const read = await readRecord(runsDir, `${run.id}/${run.imageModels[0]}/model.json`, STORED_CLASSES);
        const stored = read && 'value' in read ? read.value.userDefinedMetadata?.classes?.images : undefined;
        steps.set(run.id, stored === 'resized' ? 'resized' : 'mnist-digits');
      }),
  );
  return steps;
}
