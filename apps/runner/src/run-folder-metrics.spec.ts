import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  CacheStore,
  CodecRegistry,
  defineStage,
  StageRegistry,
  validateConfig,
  type RunEvent,
} from '@stagegraph/pipeline';
import { nameMetrics } from './metric-names.js';
import { runPipeline } from './run-pipeline.js';
import { LazyBackend } from './tensors/lazy-backend.js';

/** Stages that finished, in the order the run reported them. */
let finished: string[] = [];
/** Resolved when the stage of that id has ended: a stage with `after` waits for it, so the test picks the finishing order without a clock. */
let ended = new Map<string, () => void>();
let endedPromises = new Map<string, Promise<void>>();

const score = defineStage({
  type: 'spec.score',
  version: 1,
  description: 'Emits the metrics in its params once the stage named by `after` has ended.',
  params: z.strictObject({ metrics: z.record(z.string(), z.number()), after: z.string().optional() }),
  inputs: {},
  outputs: { metrics: { kind: 'metrics' } },
  async run(_inputs, params) {
    if (params.after) await endedPromises.get(params.after);
    return { metrics: params.metrics };
  },
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-metric-names-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs three stages, `first` finishing before the other scorer, and returns metrics.json as written. */
async function runWith(first: 'a' | 'b') {
  finished = [];
  ended = new Map();
  endedPromises = new Map(['a', 'b', 'c'].map((id) => [id, new Promise<void>((resolve) => ended.set(id, resolve))]));
  const second = first === 'a' ? 'b' : 'a';
  const config = {
    name: 'two-scorers',
    stages: {
      a: { type: 'spec.score', params: { metrics: { accuracy: 0.9, n: 10 }, ...(second === 'a' && { after: 'b' }) } },
      b: {
        type: 'spec.score',
        params: { metrics: { accuracy: 0.8, n: 10, recall: 0.7 }, ...(second === 'b' && { after: 'a' }) },
      },
      c: { type: 'spec.score', params: { metrics: { best: 1 }, after: second } },
    },
  };
  const pipeline = validateConfig(config, new StageRegistry([score]), 'two-scorers.json');
  const result = await runPipeline(pipeline, {
    codecs: new CodecRegistry(),
    cache: new CacheStore(join(dir, 'cache')),
    out: dir,
    configFile: join(dir, 'two-scorers.json'),
    backend: new LazyBackend({ backend: 'cpu' }),
    force: true,
    onEvent: (event: RunEvent) => {
      if (event.type !== 'stage-end') return;
      finished.push(event.stageId);
      ended.get(event.stageId)!();
    },
  });
  return {
    finished,
    written: JSON.parse(await readFile(join(result.dir, 'metrics.json'), 'utf8')) as Record<string, unknown>,
  };
}

describe('metrics.json names: decided by which stages emit a name, not by which finished first', () => {
  it('names a metric two stages emit <stage>.<name> for both, whichever finishes first; a name one stage emits stays bare', async () => {
    const aFirst = await runWith('a');
    const bFirst = await runWith('b');
    expect(aFirst.finished).toEqual(['a', 'b', 'c']);
    expect(bFirst.finished).toEqual(['b', 'a', 'c']);
    const expected = { 'a.accuracy': 0.9, 'a.n': 10, 'b.accuracy': 0.8, 'b.n': 10, recall: 0.7, best: 1 };
    for (const { written } of [aFirst, bFirst]) {
      expect(written).toEqual(expected);
      expect(Object.keys(written)).toEqual(Object.keys(expected)); // in graph order, too
    }
  });

  it('adds the port where one stage emits a name from two of its outputs', () => {
    const { metrics, sources } = nameMetrics([
      { stageId: 'eval', port: 'train', values: { rmse: 1 } },
      { stageId: 'eval', port: 'test', values: { rmse: 2 } },
      { stageId: 'other', port: 'metrics', values: { rmse: 3, mae: 4 } },
    ]);
    expect(metrics).toEqual({ 'eval.train.rmse': 1, 'eval.test.rmse': 2, 'other.rmse': 3, mae: 4 });
    expect(sources.get('other.rmse')).toEqual({ output: 'other.metrics', name: 'rmse' });
  });
});
