import { DataError, writeFileAtomic } from '@stagegraph/pipeline';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_MODEL_JSON_BYTES, readModelFile } from './model-files.js';
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
        // class names and how images become inputs (image-model-info.ts) travel inside model.json
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(files[1], asBuffer(artifacts.weightData!));
      await writeFileAtomic(files[0], JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

/**
 * Reads a model written by `saveLayersModel` (or by any tfjs tool). Anything that is not a
 * loadable model (a truncated model.json, missing or short weights) is a DataError naming the file.
 */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, 'model.json');
  const refuse = (got: string): never => {
    throw new DataError(
      `${file}: expected a TensorFlow.js layers model (model.json with modelTopology and weightsManifest), got ${got}`,
    );
  };
  let modelJson: {
    modelTopology?: unknown;
    weightsManifest?: unknown;
    trainingConfig?: tf.io.TrainingConfig;
    userDefinedMetadata?: unknown;
  };
  try {
    modelJson = JSON.parse((await readModelFile(dir, 'model.json', MAX_MODEL_JSON_BYTES)).toString('utf8'));
  } catch (error) {
    return refuse(
      error instanceof SyntaxError
        ? `invalid JSON (${error.message})`
        : `an unreadable file: ${(error as Error).message}`,
    );
  }
  const manifest = modelJson?.weightsManifest as
    { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] | undefined;
  if (typeof modelJson?.modelTopology !== 'object' || modelJson.modelTopology === null)
    return refuse('no modelTopology');
  if (
    !Array.isArray(manifest) ||
    !manifest.every((group) => Array.isArray(group?.paths) && Array.isArray(group?.weights))
  )
    return refuse('no valid weightsManifest');
  const weightSpecs = manifest.flatMap((group) => group.weights);
  // every weights file through the guard, no larger than its group's weights (a huge or endless file is never read whole)
  const chunks: Buffer[] = [];
  for (const group of manifest) {
    const expected = weightBytes(group.weights);
    const read = await Promise.all(
      group.paths.map((path) =>
        readModelFile(dir, path, (expected ?? MAX_MODEL_JSON_BYTES) + SLACK_BYTES).catch((error: Error) =>
          refuse(`a weights file that cannot be used: ${error.message}`),
        ),
      ),
    );
    // tfjs reads what the manifest lists and ignores the rest: a longer file is not the model it claims
    const got = read.reduce((sum, chunk) => sum + chunk.length, 0);
    if (expected !== undefined && got !== expected)
      throw new DataError(
        `${group.paths.map((path) => join(dir, path)).join(' + ')}: expected ${expected} bytes (as model.json's weightsManifest says), got ${got}`,
      );
    chunks.push(...read);
  }
  const weightData = asBuffer(
    chunks.map((chunk) => chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer),
  );
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology as object,
        weightSpecs,
        weightData: weightData.buffer as ArrayBuffer,
        trainingConfig: modelJson.trainingConfig,
        ...(isPlainObject(modelJson.userDefinedMetadata) ? { userDefinedMetadata: modelJson.userDefinedMetadata } : {}),
      }),
    );
  } catch (error) {
    return refuse(`one tfjs cannot load (${(error as Error).message.split('\n')[0]})`);
  }
}

/** How far past its manifest's size a weights file is still read, to be refused with both sizes; larger ones are not read at all. */
const SLACK_BYTES = 1024 * 1024;

/** Bytes per value of each dtype tfjs stores (tfjs' own table is not exported). */
const VALUE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The bytes a weights group's specs take, or undefined when that is not fixed (strings). */
function weightBytes(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = VALUE_BYTES[spec?.quantization?.dtype ?? spec?.dtype];
    if (size === undefined || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0))
      return undefined; // tfjs says what is wrong
    total += spec.shape.reduce((n, d) => n * d, 1) * size;
  }
  return total;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
