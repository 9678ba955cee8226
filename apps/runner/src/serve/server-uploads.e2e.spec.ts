import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@stagegraph/core-tensor';
import { largeDigitPng, pngDeclaring, svgBomb } from '../test-support/image-bombs.js';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { startServer, type RunningServer } from './server.js';
import { MAX_UPLOAD_PIXELS } from './upload-image.js';

jest.setTimeout(120_000);
const CLI = fileURLToPath(new URL('../../bin/stagegraph.js', import.meta.url));

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let server: RunningServer;

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 1 });
  server = await startServer({
    runsDir: synthetic.runsDir,
    host: '127.0.0.1',
    port: 0,
    decodeSlots: 1,
    uploadIdleMs: 300,
  });
});
afterAll(async () => {
  await server?.close();
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

const predict = (body: Uint8Array, url = server.url) =>
  fetch(`${url}/api/predict?run=${synthetic.digitRun}`, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
const answer = async (response: Response) =>
  [response.status, ((await response.json()) as { error?: string }).error] as const;

describe('uploads the server refuses before decoding', () => {
  it('an SVG (here one of billions of nested shapes): 415, sharp never sees it', async () => {
    expect(await answer(await predict(svgBomb()))).toEqual([
      415,
      'upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got SVG (vector images are not read)',
    ]);
  });

  it.each([
    [30_000, 30_000],
    [5_000, 5_000],
  ])('a PNG declaring %i x %i pixels: 400 from its header', async (width, height) => {
    expect(
      await answer(await predict(width === 30_000 ? pngDeclaring(width, height) : await largeDigitPng(width))),
    ).toEqual([
      400,
      `upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most ${MAX_UPLOAD_PIXELS} pixels, got ${width} x ${height}`,
    ]);
  });
});

describe('bodies that never arrive whole', () => {
  /** Sends headers and `sent` of `declared` bytes, then waits (or closes); resolves with the status line, if any. */
  const partial = (declared: number, sent: number, close: boolean) =>
    new Promise<string>((resolve, reject) => {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/predict?run=${synthetic.digitRun} HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(sent, 1));
        if (close) socket.end();
      });
      let text = '';
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
      socket.on('data', (data) => (text += data));
      socket.on('close', () => resolve(text.split('\r\n')[0]));
      socket.on('error', reject);
    });

  it('a body that stalls short of its Content-Length: 408 once it has been idle, not a hang', async () => {
    expect(await partial(1000, 10, false)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('a client that closes short of its Content-Length: the server answers the next request', async () => {
    await partial(1000, 10, true);
    expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
  });
});

describe('decoding, bounded', () => {
  it('past the bound answers 503 with Retry-After at once, while pages still answer', async () => {
    const image = await largeDigitPng(4000); // 16M pixels: under the limit, slow enough to decode
    const uploads = Array.from({ length: 6 }, () => predict(image));
    const page = await fetch(`${server.url}/`);
    const responses = await Promise.all(uploads);
    const statuses = responses.map((r) => r.status);
    expect(page.status).toBe(200);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    const refused = responses.find((r) => r.status === 503)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await answer(refused)).toEqual([
      503,
      'upload: the server is decoding 1 images already; try again in a second',
    ]);
  });

  it('an error names the run and file, never where the server keeps them', async () => {
    const broken = 'mnist-cnn-broken-model';
    await cp(join(synthetic.runsDir, synthetic.digitRun!), join(synthetic.runsDir, broken), { recursive: true });
    await writeFile(join(synthetic.runsDir, broken, 'models', 'train', 'model.json'), '{"modelTopology": ');
    const response = await fetch(`${server.url}/api/predict?run=${broken}`, {
      method: 'POST',
      body: await largeDigitPng(100),
    });
    const [status, error] = await answer(response);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(error).not.toContain(synthetic.dir);
    expect(error).toContain(`<runs>/${broken}/models/train`);
  });
});

describe('stagegraph serve under uploads', () => {
  it('stops within seconds of SIGTERM while uploads are being decoded', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--runs', synthetic.runsDir, '--port', '0', '--backend', 'cpu', '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on(
          'data',
          (d) => (out += d) && /at (http:\S+)/.test(out) && resolve(/at (http:\S+)/.exec(out)![1]),
        );
        child.once('exit', () => reject(new Error(`serve exited before listening`)));
      });
      const image = await largeDigitPng(4000);
      const uploads = Array.from({ length: 8 }, () => predict(image, url).catch(() => undefined));
      await new Promise((done) => setTimeout(done, 200)); // decoding has begun
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise((done) => setTimeout(() => done('still running 5 s after SIGTERM'), 5000)),
      ]);
      expect(code).toBe(0);
      await Promise.all(uploads);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
