import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { selectBackend } from '@stagegraph/core-tensor';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { main } from '../main.js';
import { captureOutput, tinyConfig, tinyWorkspace } from '../test-support/tiny-pipeline.js';
import { S3Remote } from './s3-remote.js';

// An S3 server on 127.0.0.1 (s3rver, from npm) stands in for the bucket; two folders stand in for two machines.
let server: S3rver;
let s3: S3Client;
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
let machineB: string;
const cwd = process.cwd();
const env = { ...process.env };
const bucket = 'sg-cache';
const sweep = {
  method: 'grid',
  params: { 'stages.train.params.units': [2, 3] },
  objective: { metric: 'rmse', goal: 'min' },
};

beforeAll(async () => {
  await selectBackend('cpu');
  ws = await tinyWorkspace();
  server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: await mkdtemp(join(tmpdir(), 'sg-s3rver-')),
    silent: true,
  });
  const { port } = (await server.run()) as { port: number };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  s3 = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL, forcePathStyle: true, region: 'us-east-1' });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // machine B has the same project files, and a cache of its own
  machineB = join(ws.dir, 'machine-b');
  await mkdir(join(machineB, 'runs'), { recursive: true });
  for (const file of ['prices.csv', 'pipeline.json']) await copyFile(ws.file(file), join(machineB, file));
  const sweepConfig = JSON.stringify({ ...tinyConfig('prices.csv'), sweep });
  await writeFile(ws.file('sweep.json'), sweepConfig);
  await writeFile(join(machineB, 'sweep.json'), sweepConfig);
});
afterAll(async () => {
  process.chdir(cwd);
  process.env = env;
  s3?.destroy();
  await server?.close();
  await rm(ws.dir, { recursive: true, force: true });
});

const cli = async (where: string, ...args: string[]) => {
  process.chdir(where);
  const output = captureOutput();
  const code = await main([...args, '--backend', 'cpu', '--json'], output);
  const events = output
    .stdout()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { code, err: output.stderr(), events };
};
const stageEnds = (events: { type: string; cached?: boolean }[]) => events.filter((e) => e.type === 'stage-end');

describe('--cache-dir s3://bucket/prefix', () => {
  it('shares stage results between machines through the bucket: the second machine computes nothing', async () => {
    const a = await cli(ws.dir, 'run', 'pipeline.json', '--cache-dir', `s3://${bucket}/team`);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(stageEnds(a.events).every((e) => !e.cached)).toBe(true);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'team/' }));
    expect(objects.Contents!.some((o) => o.Key!.endsWith('/manifest.json'))).toBe(true);
    const b = await cli(machineB, 'run', 'pipeline.json', '--cache-dir', `s3://${bucket}/team`);
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    expect(stageEnds(b.events)).toHaveLength(11);
    expect(stageEnds(b.events).every((e) => e.cached)).toBe(true);
    expect(b.events.at(-1).metrics).toEqual(a.events.at(-1).metrics);
  });

  it('runs a sweep on one machine, and the same sweep on another is all cache hits', async () => {
    const a = await cli(ws.dir, 'sweep', 'sweep.json', '--cache-dir', `s3://${bucket}/sweeps`);
    expect(a.code).toBe(0);
    const b = await cli(machineB, 'sweep', 'sweep.json', '--cache-dir', `s3://${bucket}/sweeps`);
    expect(b.code).toBe(0);
    const end = b.events.find((e) => e.type === 'sweep-end');
    expect(end.runs).toBe(2);
    expect(end.stageRuns).toEqual({}); // no stage computed on machine B
  });

  it('recomputes an entry whose upload was cut short (no manifest), on a machine that lacks it', async () => {
    await cli(
      ws.dir,
      'run',
      'pipeline.json',
      '--cache-dir',
      `s3://${bucket}/partial`,
      '--set',
      'stages.train.params.units=3',
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'partial/entries/' }));
    const manifests = listed.Contents!.map((o) => o.Key!).filter((k) => k.endsWith('/manifest.json'));
    for (const Key of manifests) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    const b = await cli(
      machineB,
      'run',
      'pipeline.json',
      '--cache-dir',
      `s3://${bucket}/partial`,
      '--set',
      'stages.train.params.units=3',
    );
    expect(b.code).toBe(0);
    expect(stageEnds(b.events).every((e) => !e.cached)).toBe(true);
  });

  it('refuses an entry whose manifest names a file outside it', async () => {
    const key = 'e'.repeat(64);
    const manifest = JSON.stringify({ key, files: { '../../escaped.txt': { size: 1, sha256: 'x' } } });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `evil/entries/${key}/manifest.json`, Body: manifest }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `evil/entries/${key}/../../escaped.txt`, Body: 'x' }));
    const into = await mkdtemp(join(tmpdir(), 'sg-pull-'));
    const entry = join(into, 'a', 'b'); // ../../escaped.txt would land in `into`
    await mkdir(entry, { recursive: true });
    expect(await S3Remote.parse(`s3://${bucket}/evil`).pull(key, entry)).toBe(false);
    expect(await readdir(into)).toEqual(['a']);
    await rm(into, { recursive: true, force: true });
  });

  it("lists the bucket's entries with cache ls (the scheme in any case), on a machine whose local copy has none", async () => {
    await cli(ws.dir, 'run', 'pipeline.json', '--cache-dir', `s3://${bucket}/listed`);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'listed/entries/' }));
    const keys = objects.Contents!.map((o) => o.Key!.split('/')[2]).filter((key, i, all) => all.indexOf(key) === i);
    expect(keys.length).toBeGreaterThan(0);
    process.chdir(machineB);
    const output = captureOutput();
    expect(await main(['cache', 'ls', '--cache-dir', `S3://${bucket}/listed`, '--json'], output)).toBe(0);
    const listed = JSON.parse(output.stdout()) as { entries: { key: string; stageType?: string; bytes: number }[] };
    expect(listed.entries.map((e) => e.key)).toEqual(keys.sort());
    expect(listed.entries.every((e) => e.stageType)).toBe(true);
    const text = captureOutput();
    expect(await main(['cache', 'ls', '--cache-dir', `s3://${bucket}/listed`], text)).toBe(0);
    expect(text.stdout()).toMatch(new RegExp(`^${keys.length} entries, .* in s3://${bucket}/listed\n`, 'm'));
    const cleaned = captureOutput();
    expect(await main(['cache', 'clean', '--cache-dir', `s3://${bucket}/listed`], cleaned)).toBe(0);
    expect(cleaned.stdout()).toMatch(
      new RegExp(
        `^removed \\d+ entries from this machine's copy of s3://${bucket}/listed \\(the bucket keeps its entries\\)\n$`,
      ),
    );
  });

  it('says so in one line when the bucket is not there, exit 2', async () => {
    process.chdir(ws.dir);
    const output = captureOutput();
    const code = await main(
      ['run', 'pipeline.json', '--backend', 'cpu', '--cache-dir', 's3://no-such-bucket/x'],
      output,
    );
    expect(code).toBe(2);
    expect(output.stderr()).toMatch(
      /^error: cache s3:\/\/no-such-bucket\/x: could not read \S+: expected an existing bucket, got no bucket "no-such-bucket"\n/,
    );
  });
});
