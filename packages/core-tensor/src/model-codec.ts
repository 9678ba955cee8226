import type { Codec } from '@stagegraph/pipeline';
import { writeFileAtomic } from '@stagegraph/pipeline';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeModel } from './memory.js';
import * as tf from './tf.js';

const asBuffer = (data: ArrayBuffer | ArrayBuffer[]): Uint8Array => {
  const parts = (Array.isArray(data) ? data : [data]).map((part) => new Uint8Array(part));
  const joined = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) joined.set(part, (offset += part.length) - part.length);
  return joined;
};

/** Writes a model in the standard TensorFlow.js layers format: `model.json` + `weights.bin`. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [join(dir, 'model.json'), join(dir, 'weights.bin')];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      await writeFileAtomic(files[1], asBuffer(artifacts.weightData!));
      await writeFileAtomic(files[0], JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

/** Reads a model written by `saveLayersModel` (or by any tfjs tool, from one weights file). */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const manifest = modelJson.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const chunks = await Promise.all(manifest.flatMap((group) => group.paths.map((path) => readFile(join(dir, path)))));
  const weightData = asBuffer(chunks.map((chunk) => chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weightData.buffer as ArrayBuffer, trainingConfig: modelJson.trainingConfig }));
}

/** Models in the cache and in run folders: `<name>/model.json` and `<name>/weights.bin`. */
export const modelCodec: Codec<tf.LayersModel> = {
  kind: 'model',
  save: (model, dir, name) => saveLayersModel(model, join(dir, name)),
  load: (dir, name) => loadLayersModel(join(dir, name)),
  dispose: disposeModel,
};
