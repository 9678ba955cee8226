import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// yargs prints help, the version and the completion script itself: the built CLI, as a user runs it
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(appDir, 'bin', 'stagegraph.js');
const stagegraph = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('CLI conventions', () => {
  it('prints its version with --version', () => {
    const { status, stdout } = stagegraph('--version');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')).version);
  });

  it('prints help with -h', () => {
    const { status, stdout } = stagegraph('-h');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^stagegraph <command> \[options\]/);
    expect(stdout).toMatch(/stagegraph completion/);
  });

  it('prints a shell completion script, and completes commands with it', () => {
    const script = stagegraph('completion');
    expect(script.status).toBe(0);
    expect(script.stdout).toMatch(/###-begin-stagegraph-completions-###/);
    const completions = stagegraph('--get-yargs-completions', 'stagegraph', 'sw');
    expect(completions.stdout.split('\n')).toContain('sweep');
  });

  it('answers --json on validate (ok or the errors, exit 2), graph and cache clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-json-'));
    try {
      const pipeline = join(appDir, '..', '..', 'pipelines', 'stock-lstm.json');
      const ok = stagegraph('validate', pipeline, '--json');
      expect(ok.status).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        ok: true,
        pipeline: 'stock-lstm',
        stages: expect.arrayContaining([{ id: 'train', type: 'models-lstm.train', version: expect.any(Number) }]),
      });
      const bad = join(dir, 'bad.json');
      writeFileSync(
        bad,
        JSON.stringify({
          name: 'bad',
          stages: { a: { type: 'preprocess.load-csv', params: { path: 'x.csv', colum: 'close' } } },
        }),
      );
      const refused = stagegraph('validate', bad, '--json');
      expect(refused.status).toBe(2);
      const verdict = JSON.parse(refused.stdout);
      expect(verdict).toMatchObject({ ok: false, config: bad });
      expect(verdict.errors.join('\n')).toMatch(/stages\.a\.params/);
      const graph = JSON.parse(stagegraph('graph', pipeline, '--json').stdout);
      expect(graph.edges).toContainEqual({ from: 'train.model', to: 'predict.model' });
      const clean = stagegraph('cache', 'clean', '--cache-dir', join(dir, 'cache'), '--json');
      expect(clean.status).toBe(0);
      expect(JSON.parse(clean.stdout)).toEqual({ cacheDir: join(dir, 'cache'), removed: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
