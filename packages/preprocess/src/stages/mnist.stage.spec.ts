import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '../idx-file.js';
import { MNIST_FILES } from '../mnist-files.js';
import { mnistStage } from './mnist.stage.js';

let dir: string;
const realFetch = globalThis.fetch;
const fetchSpy = jest.fn(async () => {
  throw new Error('planning must not touch the network');
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-mnist-plan-'));
  globalThis.fetch = fetchSpy as unknown as typeof fetch;
  fetchSpy.mockClear();
});
afterEach(async () => {
  globalThis.fetch = realFetch;
  await rm(dir, { recursive: true, force: true });
});

describe('preprocess.mnist fingerprint (computed when a run plans its cache keys)', () => {
  it('does not download when the files are missing: the published checksums stand for them', async () => {
    const key = await mnistStage.fingerprint!({}, { workDir: dir });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(await mnistStage.fingerprint!({}, { workDir: dir })).toBe(key);
  });

  it('hashes the content of the files in dataDir, so a changed file changes the key', async () => {
    await mkdir(join(dir, 'digits'));
    const write = async (label: number) => {
      for (const [key, { name }] of Object.entries(MNIST_FILES)) {
        const data = key.endsWith('Images')
          ? encodeIdx([1, 28, 28], new Uint8Array(784))
          : encodeIdx([1], Uint8Array.from([label]));
        await writeFile(join(dir, 'digits', name.replace(/\.gz$/, '')), data);
      }
    };
    await write(3);
    const first = await mnistStage.fingerprint!({ dataDir: 'digits' }, { workDir: dir });
    await write(4);
    expect(await mnistStage.fingerprint!({ dataDir: 'digits' }, { workDir: dir })).not.toBe(first);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
