import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '@stagegraph/pipeline';

/** A table model's card (the preparation, and a classical model itself), beside a network's model.json. */
export const CARD_FILE = 'table-model.json';

/** The stage ids of a run folder's table models: models/<stage>/table-model.json. */
function tableModels(run: string): string[] {
  const models = join(run, 'models');
  if (!existsSync(models) || !statSync(models).isDirectory()) return [];
  return readdirSync(models)
    .filter((name) => existsSync(join(models, name, CARD_FILE)))
    .sort();
}

/** Whether a run folder holds a table model (models/<stage>/table-model.json): `predict --model latest` asks. */
export const hasTableModel = (run: string) => tableModels(run).length > 0;

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** The select stage's `best` in metrics.json ("best", or "<stage>.best" where names clash): the candidates named. */
function bestNames(run: string): string[] {
  const metrics = readJson(join(run, 'metrics.json'));
  if (!metrics || typeof metrics !== 'object') return [];
  return Object.entries(metrics)
    .filter(([key, value]) => (key === 'best' || key.endsWith('.best')) && typeof value === 'string')
    .map(([, value]) => value as string);
}

type StageConfigs = Record<string, { inputs?: Record<string, string> }>;

/**
 * The model stage behind a candidate name: the name itself when it is a model's stage, else the stages
 * upstream of the select stage's input of that name (select <- eval <- model), nearest first, from run.json's config.
 */
function modelOf(run: string, name: string, models: string[]): string | undefined {
  if (models.includes(name)) return name;
  const record = readJson(join(run, 'run.json')) as { config?: { stages?: StageConfigs } } | undefined;
  const stages = record?.config?.stages ?? {};
  let frontier = Object.values(stages).flatMap((stage) => (stage.inputs?.[name] ? [stage.inputs[name]] : []));
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const ids = frontier.map((ref) => ref.split('.')[0]);
    const found = ids.find((id) => models.includes(id));
    if (found) return found;
    frontier = ids.flatMap((id) => Object.values(stages[id]?.inputs ?? {}));
  }
  return undefined;
}

export interface TableModelChoice {
  dir: string;
  /** Why this one, where the run had several: "the run's best". */
  why?: string;
}

/**
 * The table model `--model` names, or undefined where it names no table model (an image model's
 * folder or model.json): a table-model.json, its folder, or a run folder. A run with several table
 * models predicts with its best (the select stage's `best` in metrics.json); with several and no best,
 * the user names one (exit 2, naming them).
 */
export function tableModelDir(path: string): TableModelChoice | undefined {
  if (!existsSync(path)) return undefined; // resolveModelDir says what is wrong
  // a table network's model.json has its card beside it: the table path, not the image one
  if (statSync(path).isFile())
    return [CARD_FILE, 'model.json'].includes(basename(path)) && existsSync(join(dirname(path), CARD_FILE))
      ? { dir: dirname(path) }
      : undefined;
  if (existsSync(join(path, CARD_FILE))) return { dir: path };
  const models = tableModels(path);
  if (models.length === 0) return undefined;
  if (models.length === 1) return { dir: join(path, 'models', models[0]) };
  const best = [...new Set(bestNames(path).map((name) => modelOf(path, name, models)))];
  if (best.length === 1 && best[0]) return { dir: join(path, 'models', best[0]), why: "the run's best" };
  throw new DataError(
    `--model ${path}: expected a run with one table model or a best one in metrics.json, got ${models.length} models (${models.join(', ')}) and ${best.length ? 'no single best' : 'no best'}: name one, e.g. ${join(path, 'models', models[0])}`,
  );
}
