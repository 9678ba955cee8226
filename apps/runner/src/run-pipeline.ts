import { dirname } from 'node:path';
import {
  CancelledError,
  executePipeline,
  StageFault,
  type CacheStore,
  type CodecRegistry,
  type RunEvent,
  type StageDispatcher,
  type ValidatedPipeline,
} from '@stagegraph/pipeline';
import { provenance } from './provenance.js';
import { RunFolder, type RunResult } from './run-folder.js';
import type { SweepTrialFacts } from './runs/run-records.js';
import { countNativeKernelCalls, type LazyBackend } from './tensors/lazy-backend.js';
import { stagesOnBackend } from './tensors/stages-on-backend.js';

export interface PipelineRunOptions {
  codecs: CodecRegistry;
  cache: CacheStore;
  /** The runs folder the run's folder goes in. */
  out: string;
  /** `--name`: the run's name, in its folder name and run.json (the config's name by default). */
  name?: string;
  configFile: string;
  /** Started when a stage must compute here (or a tensor is read), not before: never for a run whose every stage is cached. */
  backend: LazyBackend;
  /** Recompute every stage (and refresh the cache). */
  force: boolean;
  /** At most this many stages at once. */
  jobs?: number;
  /** Compute the stages on a queue's workers instead of here. */
  dispatcher?: StageDispatcher;
  /** Set when the run is a sweep's trial. */
  sweep?: SweepTrialFacts;
  onEvent?: (event: RunEvent) => void;
  /** Whether a signal came before this run listened for one (a sweep worker's trial): then it cancels at once. */
  cancelled?: () => boolean;
}

/** The kinds of output the run folder exports from their values; models and histories it copies from the cache's files. */
const EXPORTED_VALUES = ['metrics', 'figure'];

/**
 * One run of a validated pipeline through the cache into a run folder: what `stagegraph run` does
 * and what each trial of `stagegraph sweep` does. Ctrl-C or SIGTERM cancels the running stages
 * (finished ones stay cached) and leaves no run folder.
 */
export async function runPipeline(pipeline: ValidatedPipeline, options: PipelineRunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const folder = new RunFolder(options.out, pipeline, options.codecs, options.cache, {
    configFile: options.configFile,
    name: options.name,
    startedAt,
    sweep: options.sweep,
    ...(await provenance(dirname(options.configFile))),
  });
  await folder.begin();
  const nativeKernelCalls = countNativeKernelCalls();
  try {
    await execute(pipeline, options, (event) => folder.onEvent(event));
    return await folder.commit(Date.now() - startedAt.getTime(), options.backend.chosen, nativeKernelCalls());
  } catch (error) {
    await folder.discard();
    throw error;
  }
}

/** Runs the pipeline's events to `record` (and the caller's `onEvent`) until it ends, is cancelled, or stalls. */
function execute(
  pipeline: ValidatedPipeline,
  options: PipelineRunOptions,
  record: (event: RunEvent) => void,
): Promise<void> {
  const whereNow = trackPosition();
  const environment: Record<string, string> = {}; // recorded in each entry computed: the backend, once started
  const backendReady = async () => void (environment.backend = (await options.backend.select()).description);
  return new Promise<void>((resolve, reject) => {
    const subscription = executePipeline(stagesOnBackend(pipeline, backendReady), {
      codecs: options.codecs,
      cache: options.cache,
      force: options.force,
      concurrency: options.jobs,
      dispatcher: options.dispatcher,
      environment,
      want: (stage) => Object.values(stage.definition.outputs).some((port) => EXPORTED_VALUES.includes(port.kind)),
    }).subscribe({
      next: (event) => {
        // a stage will compute here: start the backend now, while cached stages load (the stage awaits it);
        // one that cannot start ends the run with its own message, not as the first stage's failure
        if (event.type === 'run-start' && !options.dispatcher && event.stages.some((stage) => !stage.cached))
          backendReady().catch((error: unknown) => {
            subscription.unsubscribe();
            reject(error);
          });
        whereNow.onEvent(event);
        options.onEvent?.(event);
        record(event);
      },
      error: reject,
      complete: resolve,
    });
    // Ctrl-C or SIGTERM: unsubscribing cancels the running stages; finished stages stay cached.
    const cancel = () => {
      subscription.unsubscribe();
      reject(
        new CancelledError(`${whereNow.describe()}; finished stages are cached and the next run resumes from them`),
      );
    };
    // Nothing left to wait on while a stage still runs (its promise never settles): say which,
    // rather than let Node exit 13 for the unsettled await and leave the temp folder.
    const stalled = () => {
      subscription.unsubscribe();
      reject(
        new StageFault(
          `${whereNow.stuck()} never finished: its run neither returned outputs nor failed, and had nothing left to wait for`,
        ),
      );
    };
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    process.once('beforeExit', stalled);
    if (options.cancelled?.()) cancel();
    subscription.add(() => {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
      process.off('beforeExit', stalled);
    });
  });
}

/** Remembers which stages are running and their last progress, to say where a cancel stopped. */
function trackPosition() {
  const running = new Map<string, string>();
  const types = new Map<string, string>();
  return {
    onEvent(event: RunEvent) {
      if (event.type === 'stage-start') running.set(event.stageId, '');
      if (event.type === 'stage-start') types.set(event.stageId, event.stageType);
      if (event.type === 'stage-end' || event.type === 'stage-error') running.delete(event.stageId);
      if (event.type === 'stage-progress' && event.progress.epoch !== undefined) {
        const p = event.progress;
        running.set(
          event.stageId,
          ` at epoch ${p.epoch}/${p.epochs ?? '?'}${p.batch ? `, batch ${p.batch}/${p.batches}` : ''}`,
        );
      }
    },
    describe(): string {
      return running.size ? `stage ${[...running].map(([id, at]) => `${id}${at}`).join(', ')}` : 'the run';
    },
    /** `stage train (models-lstm.train)`: the stages running, by id and type. */
    stuck(): string {
      const stages = [...running.keys()].map((id) => `${id} (${types.get(id)})`);
      return stages.length ? `${stages.length > 1 ? 'stages' : 'stage'} ${stages.join(', ')}` : 'the run';
    },
  };
}
