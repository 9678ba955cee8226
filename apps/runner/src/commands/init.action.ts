import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeControlCharacters, pipelineJsonSchema } from '@stagegraph/pipeline';
import { UsageError } from '../cli-error.js';
import type { Output } from '../output.js';
import { cliVersion, cliPackage } from '../version.js';
import { workspaceStages } from '../workspace-registry.js';
import { describeWriteFailure, makeFolders } from '../writable-dir.js';
import { templateDependencies } from './init-dependencies.js';
import { TEMPLATE_DESCRIPTIONS, type TemplateName } from './init-templates.js';

// shipped beside dist/ (package.json "files"), so the same path works from src/ under jest
const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * `stagegraph init <dir> --template plugin|forecast|digits|images|table`: a project a user can install, test and
 * run at once (a pipeline with its $schema, a stage of its own with tests, a package.json on this
 * CLI's published packages): templates/common, then the template's own files. Built in a temp
 * folder beside `dir` and renamed into place, so a failure leaves nothing; `dir` must be new or empty.
 */
export async function initAction(
  args: { dir: string; template: TemplateName; json?: boolean },
  output: Output,
): Promise<void> {
  const target = resolve(args.dir);
  const refuse = (got: string) =>
    new UsageError(`${escapeControlCharacters(args.dir)}: expected a new or empty folder, got ${got}`);
  // the name is printed back and becomes the package's name: no bytes that drive a terminal
  if (/[\u0000-\u001f\u007f-\u009f]/.test(args.dir)) throw refuse('a name with control characters');
  // a link (dangling or not) is not a folder to fill: renaming onto it fails with a raw ENOTDIR
  if ((await lstat(target).catch(() => undefined))?.isSymbolicLink())
    throw refuse('a symbolic link; name the folder it points to, or another');
  const existing = await readdir(target).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw refuse((await stat(target).catch(() => undefined))?.isFile() ? 'a file' : describeWriteFailure(error));
  });
  if (existing?.length) throw refuse(`one holding ${existing.length} ${existing.length === 1 ? 'entry' : 'entries'}`);
  const name =
    basename(target)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[._-]+/, '') || 'my-pipeline';
  const dependencies = templateDependencies(cliVersion());
  const values: Record<string, string> = {
    name,
    contractsSpec: dependencies.contracts,
    pipelineSpec: dependencies.pipeline,
    cliSpec: dependencies.cli,
    version: cliVersion(),
    zod: cliPackage().dependencies.zod,
    description: TEMPLATE_DESCRIPTIONS[args.template],
  };

  const files: string[] = [];
  const temp = join(dirname(target), `.tmp-init-${name}-${process.pid}`);
  try {
    await makeFolders(temp);
  } catch (error) {
    throw refuse(describeWriteFailure(error)); // a read-only folder, a file on the way, /proc: one line, not ENOTDIR
  }
  try {
    files.push(
      ...(await copyTemplate(join(TEMPLATE_DIR, 'common'), temp, values)),
      ...(await copyTemplate(join(TEMPLATE_DIR, args.template), temp, values)),
    );
    // the built-in stages' schema, so an editor checks pipeline.json before anything is installed
    await writeFile(
      join(temp, 'pipeline.schema.json'),
      JSON.stringify(pipelineJsonSchema(workspaceStages()), null, 2) + '\n',
    );
    files.push('pipeline.schema.json');
    // sharp loads for this template only
    if (args.template === 'images')
      files.push(...(await (await import('./init-sample-images.js')).writeSampleImages(temp)));
    if (existing) await rmdir(target);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (args.json)
    return void output.out(
      JSON.stringify({
        created: args.dir,
        template: args.template,
        stagegraph: values.version,
        ...(dependencies.checkout && { linkedTo: dependencies.checkout }),
        files: files.sort(),
      }) + '\n',
    );
  output.out(
    `created ${args.dir} from the ${args.template} template (stagegraph ${values.version})\n` +
      (dependencies.checkout
        ? `its @stagegraph packages are file: links to the checkout at ${dependencies.checkout} (they are on no public registry): build it first (npm install there)\n`
        : '') +
      `next:\n  cd ${args.dir}\n  npm install\n  npm test\n  npm start        # stagegraph run pipeline.json\n`,
  );
}

/**
 * Copies a template folder, filling `{{name}}`-style fields; `x.template` becomes `x` (it would not
 * be valid as itself). Returns the files written, relative to `to`.
 */
async function copyTemplate(from: string, to: string, values: Record<string, string>, prefix = ''): Promise<string[]> {
  await mkdir(to, { recursive: true });
  const written: string[] = [];
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const name = entry.name.replace(/\.template$/, '');
    const dest = join(to, name);
    if (entry.isDirectory()) written.push(...(await copyTemplate(source, dest, values, `${prefix}${name}/`)));
    else {
      written.push(`${prefix}${name}`);
      await writeFile(
        dest,
        (await readFile(source, 'utf8')).replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole),
      );
    }
  }
  return written;
}
