import { describeBackend, selectBackend, type BackendName } from '@stagegraph/core-tensor';
import { loadPipeline } from '@stagegraph/pipeline';
import { openCache } from '../cache/open-cache.js';
import type { QueueArgs } from '../queue/queue-args.js';
import type { EventRenderer } from '../render/event-renderer.js';
import { JsonRenderer } from '../render/json-renderer.js';
import { LineRenderer } from '../render/line-renderer.js';
import { terminalStyle } from '../render/terminal.js';
import { TtyRenderer } from '../render/tty-renderer.js';
import { runPipeline } from '../run-pipeline.js';
import { runSummary } from '../run-summary.js';
import { BUILT_IN_PLUGINS, PORT_KINDS, workspaceCodecs } from '../workspace-registry.js';
import { terminalOf, type Output } from '../output.js';
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
  /** No progress: the summary only. */
  quiet?: boolean;
  /** Compute the stages on this queue's workers. */
  queue?: QueueArgs;
}

/** `stagegraph run`: validate, pick the backend, run through the cache, print the summary. */
export async function runCommand(args: RunArgs, output: Output): Promise<void> {
  const codecs = workspaceCodecs();
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set, PORT_KINDS);
  await ensureWritableDir(args.out, '--out');
  const { backend, skipped, threads, threadsNotice } = await selectBackend(args.backend, {
    threads: args.threads,
    parallelWork: pipeline.stages.some((stage) => stage.definition.prefersThreads),
  });
  const backendText = describeBackend(backend, threads);
  const cache = await openCache(args.cacheDir);
  const style = terminalStyle(output.isTTY);
  const renderer: EventRenderer = args.json
    ? new JsonRenderer(output.out)
    : args.quiet
      ? { onEvent: () => undefined, close: () => undefined }
      : style.live
        ? new TtyRenderer(terminalOf(output), style.colors)
        : new LineRenderer(output.out, style.colors);
  if (!args.json && !args.quiet) output.out(`backend: ${backendText}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}\n`);
  if (threadsNotice && !args.json) output.err(`note: ${threadsNotice}\n`);
  const executor = args.queue && (await (await import('../queue/queue-executor.js')).QueueExecutor.open({ ...args.queue, cache, notice: (line) => output.err(`${line}\n`) }));
  let result;
  try {
    result = await runPipeline(pipeline, {
      codecs,
      cache,
      out: args.out,
      configFile: args.config,
      backend,
      threads,
      force: !args.cache,
      jobs: args.jobs,
      dispatcher: executor?.dispatcherFor({ config: pipeline.config, configFile: args.config, workDir: process.cwd() }),
      onEvent: (event) => renderer.onEvent(event),
    });
  } finally {
    renderer.close();
    await executor?.close();
  }
  if (args.json) output.out(JSON.stringify({ type: 'run-result', dir: result.dir, metrics: result.metrics }) + '\n');
  else output.out(runSummary(result, result.durationMs, backendText));
}
