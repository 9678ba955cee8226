import { describeBackend, selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { CacheStore, CancelledError, executePipeline, loadPipeline, type RunEvent } from '@stagegraph/pipeline';
import type { EventRenderer } from '../render/event-renderer.js';
import { JsonRenderer } from '../render/json-renderer.js';
import { LineRenderer } from '../render/line-renderer.js';
import { TtyRenderer } from '../render/tty-renderer.js';
import { RunFolder } from '../run-folder.js';
import { runSummary } from '../run-summary.js';
import { BUILT_IN_PLUGINS, workspaceCodecs } from '../workspace-registry.js';
import type { Output } from '../output.js';
import { ensureWritableDir } from '../writable-dir.js';

export interface RunArgs {
  config: string;
  set: string[];
  backend?: BackendName;
  threads?: number;
  cache: boolean;
  cacheDir: string;
  out: string;
  json: boolean;
  jobs?: number;
}

/** `stagegraph run`: validate, pick the backend, execute with the cache, write the run folder. */
export async function runCommand(args: RunArgs, output: Output): Promise<void> {
  const codecs = workspaceCodecs();
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set);
  await ensureWritableDir(args.out, '--out');
  await ensureWritableDir(args.cacheDir, '--cache-dir');
  const { backend, skipped, threads, threadsNotice } = await selectBackend(args.backend, {
    threads: args.threads,
    parallelWork: pipeline.stages.some((stage) => stage.definition.prefersThreads),
  });
  const backendText = describeBackend(backend, threads);
  const cache = new CacheStore(args.cacheDir);
  await cache.open();
  const startedAt = new Date();
  const folder = new RunFolder(args.out, pipeline, codecs, cache, { configFile: args.config, backend, threads, startedAt });
  await folder.begin();
  const renderer: EventRenderer = args.json ? new JsonRenderer(output.out) : output.isTTY ? new TtyRenderer(output.out) : new LineRenderer(output.out);
  if (!args.json) output.out(`backend: ${backendText}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}\n`);
  if (threadsNotice && !args.json) output.err(`note: ${threadsNotice}\n`);

  const whereNow = trackPosition();
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = executePipeline(pipeline, {
        codecs,
        cache,
        force: !args.cache,
        concurrency: args.jobs,
        environment: { backend },
        want: (stage) => Object.values(stage.definition.outputs).some((port) => ['metrics', 'figure', 'model'].includes(port.kind)),
      }).subscribe({
        next: (event) => {
          whereNow.onEvent(event);
          renderer.onEvent(event);
          folder.onEvent(event);
        },
        error: reject,
        complete: resolve,
      });
      // Ctrl-C or SIGTERM: unsubscribing cancels the running stages; finished stages stay cached.
      const cancel = () => {
        subscription.unsubscribe();
        reject(new CancelledError(`${whereNow.describe()}; finished stages are cached and the next run resumes from them`));
      };
      process.once('SIGINT', cancel);
      process.once('SIGTERM', cancel);
      subscription.add(() => {
        process.off('SIGINT', cancel);
        process.off('SIGTERM', cancel);
      });
    });
  } catch (error) {
    renderer.close();
    await folder.discard();
    throw error;
  }
  renderer.close();
  const durationMs = Date.now() - startedAt.getTime();
  const result = await folder.commit(durationMs);
  if (args.json) output.out(JSON.stringify({ type: 'run-result', dir: result.dir, metrics: result.metrics }) + '\n');
  else output.out(runSummary(result, durationMs, backendText));
}

/** Remembers which stages are running and their last progress, to say where a cancel stopped. */
function trackPosition() {
  const running = new Map<string, string>();
  return {
    onEvent(event: RunEvent) {
      if (event.type === 'stage-start') running.set(event.stageId, '');
      if (event.type === 'stage-end' || event.type === 'stage-error') running.delete(event.stageId);
      if (event.type === 'stage-progress' && event.progress.epoch !== undefined) {
        const p = event.progress;
        running.set(event.stageId, ` at epoch ${p.epoch}/${p.epochs ?? '?'}${p.batch ? `, batch ${p.batch}/${p.batches}` : ''}`);
      }
    },
    describe(): string {
      return running.size ? `stage ${[...running].map(([id, at]) => `${id}${at}`).join(', ')}` : 'the run';
    },
  };
}
