import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@stagegraph/core-tensor';
import { colourImage } from '../test-support/colour-images.js';
import { largeDigitPng, pngDeclaring, svgBomb } from '../test-support/image-bombs.js';
import { COLOUR_CLASSES, writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { startServer, type RunningServer } from './server.js';
import { MAX_UPLOAD_PIXELS } from './upload-image.js';

jest.setTimeout(120_000);
const CLI = fileURLToPath(new URL('../../bin/stagegraph.js', import.meta.url));

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let server: RunningServer;

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, colourRun: true });
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

interface ImageAnswer {
  run: string;
  class: string;
  label: number;
  top: { class: string; probability: number }[];
  probabilities: Record<string, number>;
  images: string;
  input?: number[];
}

describe('any image classifier: a run trained on a folder of RGB images, and a digit run', () => {
  const upload = async (run: string, body: Uint8Array) => {
    const response = await fetch(`${server.url}/api/predict?run=${run}`, { method: 'POST', body });
    return { status: response.status, answer: (await response.json()) as ImageAnswer };
  };

  it.each([
    ['#e02020', 'red', 'png', 40, 30],
    ['#20c020', 'green', 'jpeg', 16, 16],
    ['#2020e0', 'blue', 'webp', 300, 200],
  ] as const)(
    'answers %s as "%s" (a %s of %i x %i, resized to the model\'s 16x16x3), with the top 3 by name',
    async (colour, name, format, width, height) => {
      const { status, answer } = await upload(synthetic.colourRun!, await colourImage(colour, width, height, format));
      expect(status).toBe(200);
      expect(answer).toMatchObject({ run: synthetic.colourRun, class: name, images: 'resized' });
      expect(answer.label).toBe(COLOUR_CLASSES.indexOf(name));
      expect(answer.top.map((t) => t.class).sort()).toEqual([...COLOUR_CLASSES].sort()); // 3 classes: all of them
      expect(answer.top[0].class).toBe(name);
      const ranked = answer.top.map((t) => t.probability);
      expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
      for (const t of answer.top) expect(t.probability).toBe(answer.probabilities[t.class]);
      expect(answer.top[0].probability).toBeGreaterThan(0.7);
      expect(Object.keys(answer.probabilities).sort()).toEqual([...COLOUR_CLASSES].sort());
      expect(Object.values(answer.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(answer.input).toBeUndefined(); // the 28x28 the draw page shows is a digit model's only
    },
  );

  it('refuses a PNG declaring 30000 x 30000 pixels from its header, for a resizing model too', async () => {
    expect(
      await answer(
        await fetch(`${server.url}/api/predict?run=${synthetic.colourRun}`, {
          method: 'POST',
          body: pngDeclaring(30_000, 30_000),
        }),
      ),
    ).toEqual([
      400,
      `upload: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most ${MAX_UPLOAD_PIXELS} pixels, got 30000 x 30000`,
    ]);
  });

  it('keeps the digit run answering a digit by name, with the 28x28 it saw', async () => {
    const { status, answer: digit } = await upload(synthetic.digitRun!, await largeDigitPng(100));
    expect(status).toBe(200);
    expect(digit.images).toBe('mnist-digits');
    expect(digit.class).toMatch(/^\d$/);
    expect(digit.top).toHaveLength(3);
    expect(Object.keys(digit.probabilities)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(digit.input).toHaveLength(784);
  });

  it('offers "upload an image" for the folder run and "draw a digit" for the digit run, each page for its model', async () => {
    const runs = await (await fetch(server.url)).text();
    expect(runs).toContain(`<a href="/upload?run=${synthetic.colourRun}">upload an image</a>`);
    expect(runs).toContain(`<a href="/draw?run=${synthetic.digitRun}">draw a digit</a>`);
    const uploadPage = await (await fetch(`${server.url}/upload`)).text(); // the newest run trained on other images
    expect(uploadPage).toContain(`data-run="${synthetic.colourRun}"`);
    for (const name of COLOUR_CLASSES) expect(uploadPage).toContain(`<div class="bar" data-class="${name}">`);
    expect(uploadPage).toContain('resized to 16x16');
    const draw = await fetch(`${server.url}/draw?run=${synthetic.colourRun}`, { redirect: 'manual' });
    expect([draw.status, draw.headers.get('location')]).toEqual([302, `/upload?run=${synthetic.colourRun}`]);
    const drawPage = await (await fetch(`${server.url}/draw`)).text(); // the newest digit run (another test may copy one)
    expect(drawPage).toMatch(/data-run="mnist-cnn-[^"]+"/);
    expect(drawPage).not.toContain(`value="${synthetic.colourRun}"`); // not offered for drawing
    const digitPage = await (await fetch(`${server.url}/draw?run=${synthetic.digitRun}`)).text();
    expect(digitPage).toContain('<div class="bar" data-class="7">');
  });
});

describe('a run whose model cannot be loaded', () => {
  it('still gets its page with the run picker, and an upload says what is wrong with the model', async () => {
    const cut = 'image-folder-cut-model';
    await cp(join(synthetic.runsDir, synthetic.colourRun!), join(synthetic.runsDir, cut), { recursive: true });
    await writeFile(join(synthetic.runsDir, cut, 'models', 'train', 'model.json'), '{"modelTopology": ');
    try {
      const page = await fetch(`${server.url}/upload?run=${cut}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<option value="${synthetic.colourRun}"`);
      const response = await fetch(`${server.url}/api/predict?run=${cut}`, {
        method: 'POST',
        body: await colourImage('#e02020', 8, 8),
      });
      expect(await answer(response)).toEqual([
        400,
        `<runs>/${cut}/models/train/model.json: expected a TensorFlow.js layers model (model.json with modelTopology and weightsManifest), got invalid JSON (Unexpected end of JSON input)`,
      ]);
    } finally {
      await rm(join(synthetic.runsDir, cut), { recursive: true, force: true });
    }
  });
});

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
