import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '@stagegraph/pipeline';

/** A model folder from what the user named: model.json, its folder, or a run folder with one model. */
export function resolveModelDir(path: string): string {
  if (!existsSync(path))
    throw new DataError(`--model ${path}: expected a model folder, model.json or run folder, got no such path`);
  if (statSync(path).isFile())
    return basename(path) === 'model.json' ? dirname(path) : fail(path, 'a file that is not model.json');
  if (existsSync(join(path, 'model.json'))) return path;
  const models = existsSync(join(path, 'models'))
    ? readdirSync(join(path, 'models')).filter((name) => existsSync(join(path, 'models', name, 'model.json')))
    : [];
  if (models.length === 1) return join(path, 'models', models[0]);
  return fail(
    path,
    models.length
      ? `a run with several models (${models.join(', ')}): name one, e.g. ${join(path, 'models', models[0])}`
      : 'a folder without model.json or models/',
  );
}

function fail(path: string, got: string): never {
  throw new DataError(`--model ${path}: expected a model folder, model.json or run folder, got ${got}`);
}

/** `--out` writes a table model's predictions; an image model's are printed (or --json). */
export function refuseOutForImages(out: string | undefined, model: string): void {
  if (out !== undefined)
    throw new DataError(
      `--out ${out}: expected a table model (table-model.json) for --out, got an image model (${model})`,
    );
}
