import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plugins that wedge or litter a run, through the built CLI in a child process: what the process
// does at its end (its exit code, what it leaves behind) is what these cases are about.
const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'stagegraph.js');
// plugins import zod, so they live inside the repo where it resolves
const scratch = join(here, '..', 'test-output', `hostile-${process.pid}`);
const runs = join(scratch, 'runs');
const cacheDir = join(scratch, 'cache');
const SCRIPT = '/usr/bin/script';

beforeAll(() => mkdir(scratch, { recursive: true }));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A plugin with `mine.fine`, which gives its metric at once, and `mine.odd`, whose run is `run` (JS source). */
async function pipelineWith(run: string): Promise<string> {
  await writeFile(
    join(scratch, 'hostile.mjs'),
    `import { Observable } from 'rxjs';
import { z } from 'zod';
const stage = (type, run) => ({ type, version: 1, description: 'A stage.', params: z.strictObject({}), inputs: {}, outputs: { metrics: { kind: 'metrics' } }, run });
export const stages = [stage('mine.fine', async () => ({ metrics: { a: 1 } })), stage('mine.odd', ${run})];
`,
  );
  const config = join(scratch, 'pipeline.json');
  await writeFile(
    config,
    JSON.stringify({
      name: 'hostile',
      plugins: ['./hostile.mjs'],
      stages: { fine: { type: 'mine.fine' }, odd: { type: 'mine.odd' } },
    }),
  );
  return config;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `stagegraph run <config>`, killed after 30 s at most; `whenStdout` sees each chunk and may signal the child. */
function runCli(
  config: string,
  whenStdout?: (stdout: string, child: ReturnType<typeof spawn>) => void,
): Promise<Ended> {
  const child = spawn(
    process.execPath,
    [bin, 'run', config, '--backend', 'cpu', '--no-cache', '--out', runs, '--cache-dir', cacheDir],
    { cwd: scratch },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    whenStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

const tempFolders = async () =>
  (await readdir(runs).catch(() => [] as string[])).filter((name) => name.startsWith('.tmp-'));

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('a plugin stage that never finishes', () => {
  it('waiting on nothing: the run says which stage never finished, in one line, exits 1 and leaves no temp folder', async () => {
    const ended = await runCli(await pipelineWith('() => new Promise(() => undefined)'));
    expect(ended).toMatchObject({
      code: 1,
      stderr:
        'error: stage odd (mine.odd) never finished: its run neither returned outputs nor failed, and had nothing left to wait for\n',
    });
    expect(await tempFolders()).toEqual([]);
  });

  const onTerminal = existsSync(SCRIPT) && process.platform === 'linux' ? it : it.skip;
  onTerminal('waiting on nothing, on a terminal: the live display’s redrawing keeps nothing alive either', async () => {
    const config = await pipelineWith('() => new Promise(() => undefined)');
    const command = [
      process.execPath,
      bin,
      'run',
      config,
      '--backend',
      'cpu',
      '--no-cache',
      '--out',
      runs,
      '--cache-dir',
      cacheDir,
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    // util-linux's script(1) gives the CLI a pseudo-terminal, as in cli-terminal.e2e.spec
    const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
      cwd: scratch,
      env: { ...process.env, TERM: 'xterm-256color' },
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk));
    const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(limit);
    expect(code).toBe(1);
    expect(screen).toContain('error: stage odd (mine.odd) never finished');
    expect(await tempFolders()).toEqual([]);
  });

  it.each([
    ['ignoring its signal with a timer running', '() => new Promise(() => setInterval(() => undefined, 1000))'],
    [
      'an Observable whose teardown throws',
      "() => new Observable(() => { const timer = setInterval(() => undefined, 1000); return () => { clearInterval(timer); throw new Error('teardown failed'); }; })",
    ],
  ])('%s: the first Ctrl-C ends the run, exit 130, no temp folder', async (_what, run) => {
    const config = await pipelineWith(run);
    let signalled = false;
    const ended = await runCli(config, (stdout, child) => {
      if (signalled || !stdout.includes('odd: started') || !stdout.includes('fine: done')) return;
      signalled = true;
      child.kill('SIGINT');
    });
    expect(signalled).toBe(true);
    expect(ended).toMatchObject({
      code: 130,
      stderr: 'stagegraph: cancelled during stage odd; finished stages are cached and the next run resumes from them\n',
    });
    expect(await tempFolders()).toEqual([]);
  });
});

describe('a plugin stage that ends the process', () => {
  it.each([
    [3, 3],
    [0, 1],
  ])('process.exit(%i) in a stage: exit %i, the run’s temp folder goes with the process', async (given, expected) => {
    const ended = await runCli(await pipelineWith(`async () => process.exit(${given})`));
    expect(ended.code).toBe(expected);
    if (given === 0)
      expect(ended.stderr).toContain(
        'error: the process was ended (process.exit) while a run was in progress; nothing was written\n',
      );
    expect(await tempFolders()).toEqual([]);
  });
});

describe('temp files of processes that ended without cleaning up', () => {
  it('are swept by the next run: run and sweep-trial folders, cache entries and recipe links in the making', async () => {
    const dead = deadPid();
    const leftovers = [
      join(runs, `.tmp-hostile-2026-01-01T00-00-00-000-${dead}.1`), // a run's
      join(runs, `.tmp-hostile-2026-01-01T00-00-00-001-${dead}.4`), // a sweep's fourth trial in a worker
      join(cacheDir, 'tmp', `sg-tmp-${dead}-0123abcd-${'a'.repeat(64)}`), // an entry being written
      join(cacheDir, 'tmp', `sg-tmp-${dead}-0123abcd-pull-${'b'.repeat(64)}`), // an entry being pulled from a remote
    ];
    for (const folder of leftovers) await mkdir(folder, { recursive: true });
    const recipeTemp = join(cacheDir, 'recipes', `${'c'.repeat(64)}.tmp-${dead}-0123abcd`); // a recipe link being written
    await mkdir(dirname(recipeTemp), { recursive: true });
    await writeFile(recipeTemp, `${'d'.repeat(64)}\n`);
    const running = join(runs, `.tmp-hostile-2026-01-01T00-00-00-002-${process.pid}.1`); // a run still going: kept
    await mkdir(running, { recursive: true });

    const ended = await runCli(await pipelineWith('async () => ({ metrics: { b: 2 } })'));
    expect(ended).toMatchObject({ code: 0, stderr: '' });
    expect(await tempFolders()).toEqual([`.tmp-hostile-2026-01-01T00-00-00-002-${process.pid}.1`]);
    expect(await readdir(join(cacheDir, 'tmp'))).toEqual([]);
    expect((await readdir(join(cacheDir, 'recipes'))).filter((name) => name.includes('.tmp-'))).toEqual([]);
    await rm(running, { recursive: true });
  });
});

describe('errors that escape a stage, and signals before the CLI has loaded', () => {
  it.each([
    [
      'a rejection nothing awaits',
      `async () => { Promise.reject(new Error('dropped')); return new Promise((done) => setTimeout(() => done({ metrics: { b: 1 } }), 2000)); }`,
      "error: dropped (an unhandled rejection: it escaped the code that raised it, a plugin's stage perhaps)\n",
    ],
    [
      'a throw in a timer',
      `() => new Promise(() => setTimeout(() => { throw new Error('late'); }, 10))`,
      "error: late (an uncaught exception: it escaped the code that raised it, a plugin's stage perhaps)\n",
    ],
  ])('%s: one line, exit 1, no temp folder (was a stack trace and exit 7)', async (_what, run, line) => {
    const ended = await runCli(await pipelineWith(run));
    expect([
      ended.code,
      ended.stderr
        .split('\n')
        .filter((l) => l.startsWith('error:'))
        .join('\n') + '\n',
    ]).toEqual([1, line]);
    expect(ended.stderr).not.toMatch(/\n\s+at /);
    expect(await tempFolders()).toEqual([]);
  });

  it('a plugin whose module never finishes loading: one line, exit 1 (was exit 13 and nothing said)', async () => {
    await writeFile(join(scratch, 'stuck.mjs'), 'await new Promise(() => undefined);\nexport const stages = [];\n');
    const config = join(scratch, 'stuck.json');
    await writeFile(config, JSON.stringify({ name: 'stuck', plugins: ['./stuck.mjs'], stages: {} }));
    const ended = await runCli(config);
    expect([ended.code, ended.stderr]).toEqual([
      1,
      'error: stagegraph stopped: it was waiting for something that can never finish (a plugin module whose top-level await never settles, say)\n',
    ]);
  });

  it('a plugin whose stage definition throws when read (a getter): one line naming the plugin, exit 2', async () => {
    await writeFile(
      join(scratch, 'getter.mjs'),
      "export const stages = [{ get type() { throw new Error('getter broke'); } }];\n",
    );
    const config = join(scratch, 'getter.json');
    await writeFile(config, JSON.stringify({ name: 'getter', plugins: ['./getter.mjs'], stages: {} }));
    const ended = await runCli(config);
    expect([ended.code, ended.stderr]).toEqual([2, `error: ${config}: plugins[0] "./getter.mjs": getter broke\n`]);
  });

  it('a plugin module that throws a string: one line naming the plugin', async () => {
    await writeFile(join(scratch, 'throws.mjs'), 'throw "import failed";\n');
    const config = join(scratch, 'throws.json');
    await writeFile(config, JSON.stringify({ name: 'throws', plugins: ['./throws.mjs'], stages: {} }));
    const ended = await runCli(config);
    expect([ended.code, ended.stderr]).toEqual([
      2,
      `error: ${config}: plugins[0] "./throws.mjs": cannot load it: import failed\n`,
    ]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while the CLI still loads: exit 130 with a line (was a silent 143)',
    async (signal) => {
      // a plugin that takes 5 s to import: the CLI is surely still loading when the signal comes
      await writeFile(
        join(scratch, 'slow.mjs'),
        `import { z } from 'zod';
process.stderr.write('importing\\n');
await new Promise((done) => setTimeout(done, 5000));
export const stages = [{ type: 'slow.fine', version: 1, description: 'A stage.', params: z.strictObject({}), inputs: {}, outputs: { metrics: { kind: 'metrics' } }, run: async () => ({ metrics: { a: 1 } }) }];
`,
      );
      const config = join(scratch, 'slow.json');
      await writeFile(
        config,
        JSON.stringify({ name: 'slow', plugins: ['./slow.mjs'], stages: { fine: { type: 'slow.fine' } } }),
      );
      const child = spawn(process.execPath, [bin, 'run', config, '--backend', 'cpu'], { cwd: scratch });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      // the plugin says when it is being imported: bin's handlers went in long before (not a wall-clock guess)
      await new Promise<void>((imported) => child.stderr.on('data', () => stderr.includes('importing') && imported()));
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect([code, stderr]).toEqual([130, `importing\nstagegraph: stopped (${signal})\n`]);
    },
  );
});
