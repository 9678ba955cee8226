import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
});
