import { loadPipeline, type RunEvent } from '@stagegraph/pipeline';
import { openCache } from '../cache/open-cache.js';
import { runNameArg, wholeNumberArg } from '../number-args.js';
import { terminalOf, type Output } from '../output.js';
import { queueOptions } from '../queue/queue-args.js';
import type { EventRenderer } from '../render/event-renderer.js';
import { JsonRenderer } from '../render/json-renderer.js';
import { LineRenderer } from '../render/line-renderer.js';
import { terminalStyle } from '../render/terminal.js';
import { TtyRenderer } from '../render/tty-renderer.js';
import { runPipeline } from '../run-pipeline.js';
import { runSummary } from '../run-summary.js';
import { LazyBackend, type ChosenBackend } from '../tensors/lazy-backend.js';
import { BUILT_IN_PLUGINS, PORT_KINDS, workspaceCodecs } from '../workspace-registry.js';
import { ensureWritableDir } from '../writable-dir.js';
import type { RunCommandArgs } from './run.command.js';

/**
 * `stagegraph run`: validate, run through the cache, print the summary. The tensor backend starts
 * when the first stage must compute (its line printed first, as before any stage's); a run whose
 * every stage is cached loads no TensorFlow.js.
 */
export async function runAction(args: RunCommandArgs, output: Output): Promise<void> {
  const queue = queueOptions(args);
  const jobs = wholeNumberArg('--jobs', args.jobs, 1);
  const name = runNameArg(args.name);
  const threads = wholeNumberArg('--threads', args.threads, 1, 1024);
  const pipeline = await loadPipeline(args.config, BUILT_IN_PLUGINS, args.set, PORT_KINDS);
  await ensureWritableDir(args.out, '--out');
  const cache = await openCache(args.cacheDir);
  const backend = new LazyBackend({
    backend: args.backend,
    threads,
    parallelWork: pipeline.stages.some((stage) => stage.definition.prefersThreads),
  });
  const renderer = new BackendFirst(rendererFor(args, output), backend, (chosen) => announce(chosen, args, output));
  const executor =
    queue &&
    (await (
      await import('../queue/queue-executor.js')
    ).QueueExecutor.open({ ...queue, cache, notice: (line) => output.err(`${line}\n`) }));
  let result;
  try {
    result = await runPipeline(pipeline, {
      codecs: workspaceCodecs(backend),
      cache,
      out: args.out,
      configFile: args.config,
      name,
      backend,
      force: !args.cache,
      jobs,
      dispatcher: executor?.dispatcherFor({ config: pipeline.config, configFile: args.config, workDir: process.cwd() }),
      onEvent: (event) => renderer.onEvent(event),
    });
  } finally {
    renderer.close();
    await executor?.close();
  }
  if (args.json) output.out(JSON.stringify({ type: 'run-result', dir: result.dir, metrics: result.metrics }) + '\n');
  else
    output.out(
      runSummary(
        result,
        result.durationMs,
        backend.chosen?.description ?? (queue && `the workers of queue ${queue.queue}`),
        pipeline.config.headline,
      ),
    );
}

function rendererFor(args: RunCommandArgs, output: Output): EventRenderer {
  const style = terminalStyle(output.isTTY);
  if (args.json) return new JsonRenderer(output.out);
  if (args.quiet) return { onEvent: () => undefined, close: () => undefined };
  return style.live ? new TtyRenderer(terminalOf(output), style.colors) : new LineRenderer(output.out, style.colors);
}

/** The backend's line (and a note when wasm has fewer threads than asked), once it has started. */
function announce(chosen: ChosenBackend, args: RunCommandArgs, output: Output): void {
  if (!args.json && !args.quiet)
    output.out(
      `backend: ${chosen.description}${chosen.skipped.length ? ` (skipped ${chosen.skipped.join('; ')})` : ''}\n`,
    );
  if (chosen.threadsNotice && !args.json) output.err(`note: ${chosen.threadsNotice}\n`);
}

/**
 * The run's events to `renderer`, the backend's line before them: when the run starts the backend
 * (a stage will compute), its events wait until the backend has started and its line is printed.
 */
class BackendFirst implements EventRenderer {
  private held?: RunEvent[];
  private closed = false;

  constructor(
    private readonly renderer: EventRenderer,
    private readonly backend: LazyBackend,
    private readonly announce: (chosen: ChosenBackend) => void,
  ) {}

  onEvent(event: RunEvent): void {
    if (this.held) return void this.held.push(event);
    if (event.type !== 'run-start' || !this.backend.requested || this.backend.chosen)
      return this.renderer.onEvent(event);
    this.held = [event];
    void this.backend
      .select()
      .then(
        (chosen) => this.closed || this.announce(chosen),
        () => undefined, // a backend that fails to start fails the run, which says why
      )
      .then(() => {
        if (!this.closed) for (const waiting of this.held!) this.renderer.onEvent(waiting);
        this.held = undefined;
      });
  }

  close(): void {
    this.closed = true;
    this.renderer.close();
  }
}
