import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyConfig, tinyWorkspace } from './test-support/tiny-pipeline.js';

/**
 * `stagegraph run` on a terminal, as a person sees it: util-linux's `script` gives the built CLI a
 * pseudo-terminal and hands back everything written to it. Live and coloured there; CI=true on the
 * same terminal gives plain lines; nothing from TensorFlow.js either way.
 */
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'stagegraph.js');
const SCRIPT = '/usr/bin/script'; // Debian's bsdutils (util-linux's options: BSD's script takes others)
const haveScript = process.platform === 'linux' && (existsSync(SCRIPT) || process.env.CI === 'true'); // .ci/run installs it: a missing one fails there
if (!haveScript) console.warn(`cli-terminal.spec skipped: no ${SCRIPT} (util-linux)`);

jest.setTimeout(120_000);
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;

beforeAll(async () => {
  ws = await tinyWorkspace();
  // training long enough (a second or two) for the live block to be redrawn mid-epoch
  const config = tinyConfig('prices.csv', 40);
  config.stages.train.params.patience = 100;
  await writeFile(ws.file('pipeline.json'), JSON.stringify(config));
});
afterAll(() => rm(ws.dir, { recursive: true, force: true }));

/** The CLI on a pseudo-terminal: what the terminal received. `keys` are typed once training shows. */
function onTerminal(
  env: Record<string, string | undefined>,
  args: string[] = [],
  keys?: string,
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, 'run', 'pipeline.json', '--backend', 'cpu', '--no-cache', ...args]
    .map((a) => `'${a}'`)
    .join(' ');
  // a terminal 160 columns wide, so a training line fits on one row
  const child = spawn(SCRIPT, ['-qfec', `stty cols 160 rows 50; ${command}`, '/dev/null'], {
    cwd: ws.dir,
    env: { ...process.env, TERM: 'xterm-256color', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    if (keys && /epoch \d+\/\d+/.test(screen)) {
      child.stdin.write(keys); // script(1) passes them to the terminal, as a person typing
      keys = undefined;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

const TENSORFLOW_NOISE =
  /Hi there|TensorFlow\.js|tfjs-node|backend was already registered|Platform node has already been set/;

(haveScript ? describe : describe.skip)('stagegraph run on a terminal', () => {
  it('draws a live block with epoch progress, samples/s and an ETA, in colour', async () => {
    const { code, screen } = await onTerminal({ CI: undefined, NO_COLOR: undefined });
    expect(code).toBe(0);
    expect(screen).toContain('\x1b[2K\x1b[1A'); // redrawn in place
    expect(screen).toContain('\x1b[32mdone'); // colour
    const text = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(
      /^train +\[[#.]{20}\] epoch \d+\/40 \[[#.]{12}\] batch \d+\/\d+ loss \S+ .*\([\d,]+ samples\/s, ETA \S+\)/m,
    );
    expect(text).not.toMatch(TENSORFLOW_NOISE);
  });

  it('prints plain lines only with CI=true, on the same terminal', async () => {
    const { code, screen } = await onTerminal({ CI: 'true' });
    expect(code).toBe(0);
    expect(screen).not.toContain('\x1b'); // no redraws, no colour
    expect(screen).toMatch(/^train: epoch 40\/40 loss \S+ val_loss \S+ \([\d,]+ samples\/s, ETA \S+\)\r?$/m);
    expect(screen).toMatch(/^lossPlot: done in \S+\r?$/m);
    expect(screen).not.toMatch(TENSORFLOW_NOISE);
  });

  it('stops on Ctrl-C as it does in a pipe: exit 130, where it stopped, the cursor shown again', async () => {
    const before = await readdir(join(ws.dir, 'runs'));
    const { code, screen } = await onTerminal({ CI: undefined }, ['--set', 'stages.train.params.epochs=2000'], '\x03');
    expect(code).toBe(130);
    expect(screen).toMatch(
      /stagegraph: cancelled during stage train at epoch \d+\/2000, batch \d+\/\d+; finished stages are cached/,
    );
    expect(screen.lastIndexOf('\x1b[?25h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?25l'));
    expect(await readdir(join(ws.dir, 'runs'))).toEqual(before); // no run folder, no temp folder left
  });

  it('keeps the live block and drops colour with NO_COLOR', async () => {
    const { code, screen } = await onTerminal({ CI: undefined, NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(screen).toContain('\x1b[2K');
    expect(screen).not.toMatch(/\x1b\[\d+m/);
  });
});
