import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyConfig, tinyWorkspace } from './test-support/tiny-pipeline.js';

/**
 * `stagegraph run` on a terminal, as a person sees it: util-linux's `script` gives the built CLI a
 * pseudo-terminal and hands back everything written to it. Live and coloured there; CI=true on the
 * same terminal gives plain lines; nothing from TensorFlow.js either way.
 */
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'stagegraph.js');
const SCRIPT = '/usr/bin/script'; // Debian's bsdutils
const haveScript = existsSync(SCRIPT) || process.env.CI === 'true'; // CI has util-linux: a missing one fails there
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

/** The CLI on a pseudo-terminal: what the terminal received. */
function onTerminal(env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, 'run', 'pipeline.json', '--backend', 'cpu', '--no-cache', ...args].map((a) => `'${a}'`).join(' ');
  // a terminal 160 columns wide, so a training line fits on one row
  const child = spawn(SCRIPT, ['-qfec', `stty cols 160 rows 50; ${command}`, '/dev/null'], {
    cwd: ws.dir,
    env: { ...process.env, TERM: 'xterm-256color', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

const TENSORFLOW_NOISE = /Hi there|TensorFlow\.js|tfjs-node|backend was already registered|Platform node has already been set/;

(haveScript ? describe : describe.skip)('stagegraph run on a terminal', () => {
  it('draws a live block with epoch progress, samples/s and an ETA, in colour', async () => {
    const { code, screen } = await onTerminal({ CI: undefined, NO_COLOR: undefined });
    expect(code).toBe(0);
    expect(screen).toContain('\x1b[2K\x1b[1A'); // redrawn in place
    expect(screen).toContain('\x1b[32mdone'); // colour
    const text = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(/^train +\[[#.]{20}\] epoch \d+\/40 \[[#.]{12}\] batch \d+\/\d+ loss \S+ .*\([\d,]+ samples\/s, ETA \S+\)/m);
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

  it('keeps the live block and drops colour with NO_COLOR', async () => {
    const { code, screen } = await onTerminal({ CI: undefined, NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(screen).toContain('\x1b[2K');
    expect(screen).not.toMatch(/\x1b\[\d+m/);
  });
});
