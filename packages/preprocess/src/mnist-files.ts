import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@stagegraph/pipeline';

/** The four standard MNIST files, with the MD5 of the published .gz files. */
export const MNIST_FILES = {
  trainImages: { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
  testImages: { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
} as const;

export type MnistFileKey = keyof typeof MNIST_FILES;

/** Public mirrors of the original files, tried in order. */
export const MNIST_MIRRORS = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
];

/**
 * The path of each MNIST file in `dir`, gzipped or not (`train-images-idx3-ubyte[.gz]`), or an
 * error naming the ones missing.
 */
export function findMnistFiles(dir: string): Record<MnistFileKey, string> {
  const found = {} as Record<MnistFileKey, string>;
  const missing: string[] = [];
  for (const [key, { name }] of Object.entries(MNIST_FILES) as [MnistFileKey, { name: string }][]) {
    const candidates = [join(dir, name), join(dir, name.replace(/\.gz$/, ''))];
    const path = candidates.find((candidate) => existsSync(candidate));
    if (path) found[key] = path;
    else missing.push(name);
  }
  if (missing.length)
    throw new DataError(`${dir}: expected the MNIST files, missing ${missing.join(', ')} (gzipped or not)`);
  return found;
}

export interface DownloadOptions {
  mirrors?: string[];
  /** Checksums to verify against (tests use their own files). */
  files?: Record<MnistFileKey, { name: string; md5: string }>;
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

/**
 * Downloads any of the four files missing from `dir`, trying each mirror in turn, verifying the
 * MD5 and writing under a temp name renamed into place. Offline, it fails with how to supply them.
 */
export async function downloadMnist(dir: string, options: DownloadOptions = {}): Promise<Record<MnistFileKey, string>> {
  const mirrors = options.mirrors ?? MNIST_MIRRORS;
  const files = options.files ?? MNIST_FILES;
  const get = options.fetch ?? fetch;
  await mkdir(dir, { recursive: true });
  for (const { name, md5 } of Object.values(files)) {
    const target = join(dir, name);
    if (existsSync(target) && md5Of(await readFile(target)) === md5) continue;
    const failures: string[] = [];
    let done = false;
    for (const mirror of mirrors) {
      const url = mirror + name;
      try {
        options.log?.(`downloading ${url}`);
        const response = await get(url, { signal: AbortSignal.timeout(120_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = new Uint8Array(await response.arrayBuffer());
        const actual = md5Of(body);
        if (actual !== md5) throw new Error(`checksum mismatch: expected MD5 ${md5}, got ${actual}`);
        const temp = `${target}.tmp-${process.pid}`;
        await writeFile(temp, body);
        await rename(temp, target);
        done = true;
        break;
      } catch (error) {
        failures.push(
          `${url}: ${(error as Error).cause ? ((error as Error).cause as Error).message : (error as Error).message}`,
        );
        await rm(`${target}.tmp-${process.pid}`, { force: true });
      }
    }
    if (!done) {
      throw new DataError(
        `${name}: could not download MNIST (${failures.join('; ')}); put the four files (${Object.values(files)
          .map((f) => f.name)
          .join(', ')}) in ${dir}, or point the stage's dataDir at a folder holding them`,
      );
    }
  }
  return findMnistFiles(dir);
}

function md5Of(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
