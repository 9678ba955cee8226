import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { selectBackend } from '@stagegraph/core-tensor';
import { largeDigitPng } from '../test-support/image-bombs.js';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';

/**
 * A bounded load test on 127.0.0.1: eight clients upload large images for 15 s (at most 200
 * uploads, each waiting as Retry-After asks when refused) while a ninth asks for `/` and `/api/runs`
 * ten times a second. What must hold: every
 * page request is answered 200 (none waits out its 10 s), every upload is answered 200 or 503 (the
 * decode bound), and the server is still up and stops on SIGTERM. The latencies are printed (the
 * README quotes them); they are not asserted, as this machine is shared and noisy.
 */
jest.setTimeout(120_000);
const CLI = fileURLToPath(new URL('../../bin/stagegraph.js', import.meta.url));
const LOAD_MS = 15_000;
const MAX_UPLOADS = 200;
const UPLOADERS = 8;

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  await selectBackend('cpu');
  synthetic = await writeSyntheticRuns({ forecastRuns: 100 });
  child = spawn(
    process.execPath,
    [CLI, 'serve', '--runs', synthetic.runsDir, '--port', '0', '--backend', 'cpu', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const at = /at (http:\S+)/.exec(out);
      if (at) resolve(at[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before listening`)));
  });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('stagegraph serve under upload load', () => {
  it('answers every page while large uploads are decoded or refused, and stops on SIGTERM', async () => {
    // a 16M-pixel image that compresses to a few KB, and a 1.9 MB photo-like one (noise)
    const noise = Buffer.from(Array.from({ length: 800 * 800 * 3 }, (_, i) => (i * 2654435761) >>> 24));
    const images = [
      await largeDigitPng(4000),
      await sharp(noise, { raw: { width: 800, height: 800, channels: 3 } })
        .png()
        .toBuffer(),
    ];
    expect(images[1].length).toBeLessThan(2 * 1024 * 1024);
    const end = Date.now() + LOAD_MS;
    const uploadStatuses: number[] = [];
    let uploads = 0;
    const uploader = async (k: number) => {
      while (Date.now() < end && uploads < MAX_UPLOADS) {
        uploads++;
        const response = await fetch(`${url}/api/predict?run=${synthetic.digitRun}`, {
          method: 'POST',
          body: images[(k + uploads) % 2],
          signal: AbortSignal.timeout(10_000),
        });
        uploadStatuses.push(response.status);
        await response.arrayBuffer();
        if (response.status === 503)
          await new Promise((done) => setTimeout(done, 1000 * Number(response.headers.get('retry-after')))); // as it asks
      }
    };
    const latencies: number[] = [];
    const pageStatuses: number[] = [];
    let uploading = UPLOADERS;
    const prober = async () => {
      for (let i = 0; uploading > 0; i++) {
        const started = performance.now();
        const response = await fetch(`${url}${i % 2 ? '/api/runs' : '/'}`, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        pageStatuses.push(response.status);
        await new Promise((done) => setTimeout(done, 100));
      }
    };
    await Promise.all([
      prober(),
      ...Array.from({ length: UPLOADERS }, (_, k) => uploader(k).finally(() => uploading--)),
    ]);

    latencies.sort((a, b) => a - b);
    const count = (status: number) => uploadStatuses.filter((s) => s === status).length;
    process.stdout.write(
      `serve under load: ${latencies.length} page requests, p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms; ` +
        `${uploadStatuses.length} uploads: ${count(200)} predicted, ${count(503)} refused (503)\n`,
    );
    expect(new Set(pageStatuses)).toEqual(new Set([200]));
    expect(uploadStatuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(count(200)).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(
      await Promise.race([
        exited,
        new Promise((done) => setTimeout(() => done('still running 10 s after SIGTERM'), 10_000)),
      ]),
    ).toBe(0);
  });
});
