import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { selectBackend, tf } from '@stagegraph/core-tensor';
import { encodeIdx } from './idx-file.js';
import { readMnist } from './mnist-dataset.js';
import { downloadMnist, findMnistFiles, MNIST_FILES, type MnistFileKey } from './mnist-files.js';

/** Four tiny MNIST-format files: 3 training and 2 test images of 28x28. */
function tinyMnist(): Record<MnistFileKey, Uint8Array> {
  const images = (n: number) =>
    gzipSync(
      encodeIdx(
        [n, 28, 28],
        Uint8Array.from({ length: n * 784 }, (_, i) => i % 256),
      ),
    );
  const labels = (values: number[]) => gzipSync(encodeIdx([values.length], Uint8Array.from(values)));
  return { trainImages: images(3), trainLabels: labels([1, 7, 9]), testImages: images(2), testLabels: labels([0, 5]) };
}
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

let dir: string;
let server: Server;
let base: string;
const served = tinyMnist();
const requests: string[] = [];
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-mnist-'));
  server = createServer((request, response) => {
    requests.push(request.url!);
    const key = (Object.keys(MNIST_FILES) as MnistFileKey[]).find(
      (k) => request.url === `/good/${MNIST_FILES[k].name}`,
    );
    if (key) response.end(served[key]);
    else if (request.url!.startsWith('/corrupt/')) response.end(Buffer.from('not the file'));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const files = Object.fromEntries(
  (Object.keys(MNIST_FILES) as MnistFileKey[]).map((k) => [k, { name: MNIST_FILES[k].name, md5: md5(served[k]) }]),
) as Record<MnistFileKey, { name: string; md5: string }>;

describe('downloadMnist (against a server on 127.0.0.1)', () => {
  it('downloads and verifies every file, skipping mirrors that fail', async () => {
    const target = join(dir, 'good');
    const paths = await downloadMnist(target, { mirrors: [`${base}/missing/`, `${base}/good/`], files });
    expect(await readFile(paths.trainLabels)).toEqual(Buffer.from(served.trainLabels));
    expect((await readdir(target)).sort()).toEqual(
      Object.values(MNIST_FILES)
        .map((f) => f.name)
        .sort(),
    );
    requests.length = 0;
    await downloadMnist(target, { mirrors: [`${base}/good/`], files });
    expect(requests).toEqual([]); // present and verified: nothing fetched again
  });

  it('refuses a file whose checksum does not match, leaving nothing behind', async () => {
    const target = join(dir, 'corrupt');
    await expect(downloadMnist(target, { mirrors: [`${base}/corrupt/`], files })).rejects.toThrow(
      /checksum mismatch: expected MD5 [0-9a-f]{32}, got [0-9a-f]{32}/,
    );
    expect(await readdir(target)).toEqual([]);
  });

  it('says how to supply the files when no mirror answers', async () => {
    const target = join(dir, 'offline');
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port;
        probe.close(() => resolve(port));
      });
    });
    const attempt = downloadMnist(target, { mirrors: [`http://127.0.0.1:${closed}/`], files });
    await expect(attempt).rejects.toThrow(
      /could not download MNIST \(http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz: .*ECONNREFUSED.*\); put the four files .* in .*offline, or point the stage's dataDir at a folder holding them/,
    );
    expect(existsSync(join(target, MNIST_FILES.trainImages.name))).toBe(false);
  });
});

describe('reading MNIST files', () => {
  it('finds the files gzipped or not, and says which are missing', async () => {
    const folder = join(dir, 'plain');
    await downloadMnist(folder, { mirrors: [`${base}/good/`], files });
    await rm(join(folder, MNIST_FILES.testLabels.name));
    expect(() => findMnistFiles(folder)).toThrow(
      `${folder}: expected the MNIST files, missing t10k-labels-idx1-ubyte.gz (gzipped or not)`,
    );
    await writeFile(join(folder, 't10k-labels-idx1-ubyte'), encodeIdx([2], Uint8Array.from([0, 5])));
    const { train, test } = await readMnist(findMnistFiles(folder));
    expect(train.images.shape).toEqual([3, 28, 28, 1]);
    expect(train.images.max().dataSync()[0]).toBeCloseTo(1, 6);
    expect(await train.labels.argMax(1).array()).toEqual([1, 7, 9]);
    expect(test.labels.shape).toEqual([2, 10]);
    tf.dispose([train.images, train.labels, test.images, test.labels]);
  });

  it('rejects images and labels whose counts disagree, and images of the wrong size', async () => {
    const folder = join(dir, 'mismatch');
    await downloadMnist(folder, { mirrors: [`${base}/good/`], files });
    await writeFile(join(folder, MNIST_FILES.trainLabels.name), encodeIdx([2], Uint8Array.from([1, 2])));
    await expect(readMnist(findMnistFiles(folder))).rejects.toThrow(
      /train-labels-idx1-ubyte\.gz: expected 3 labels \(one per image in .*train-images-idx3-ubyte\.gz\), got 2/,
    );
    await writeFile(join(folder, MNIST_FILES.trainImages.name), encodeIdx([2, 32, 32], new Uint8Array(2 * 32 * 32)));
    await expect(readMnist(findMnistFiles(folder))).rejects.toThrow(/expected 28x28 images, got 32x32/);
  });
});
