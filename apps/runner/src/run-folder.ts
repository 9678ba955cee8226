import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Figure } from '@stagegraph/viz';
import { nameMetrics, type EmittedMetrics } from './metric-names.js';
import { metricsCsv } from './report/metrics-csv.js';
import { removeOnExit } from './remove-on-exit.js';
import { renderRunReport, type ReportFigure } from './report/run-report.js';
import { csvTable } from './render/table.js';
import type { LiveRun, Provenance, RunRecord, StageRecord, SweepTrialFacts } from './runs/run-records.js';
import { TABLE_MODEL_CARD_FILE, TRAINING_HISTORY } from '@stagegraph/contracts';
import {
  canonicalJson,
  graphAsSvg,
  processAlive,
  sha256,
  writeFileAtomic,
  type CacheStore,
  type CodecRegistry,
  type RunEvent,
  type ValidatedPipeline,
  type ValidatedStage,
} from '@stagegraph/pipeline';
import { checkedEntryDir } from './entry-files.js';
import type { ChosenBackend } from './tensors/lazy-backend.js';

/** A model port copied into the run folder: `models/<stage>`, and when its copy is done. */
interface ExportedModel {
  name: string;
  copied: Promise<unknown>;
}

export interface RunResult {
  dir: string;
  metrics: Record<string, unknown>;
  stages: StageRecord[];
  durationMs: number;
}

/** A folder name for something started at `at`: `<name>-2026-11-26T18-45-45-729`, safe on any file system. */
export const timestampedName = (name: string, at: Date) =>
  `${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${at.toISOString().replace(/[:.]/g, '-').replace('Z', '')}`;

/**
 * A run's output folder, `<out>/<pipeline>-<time>`: run.json, metrics.json, the figures and the
 * trained models (standard tfjs model.json + weights.bin). It is
 * filled under a temp name and renamed at the end, so a failed or cancelled run leaves nothing.
 */
/** Runs this process has started: a sweep's trials on a queue start together, in the same millisecond. */
let runsStarted = 0;

export class RunFolder {
  finalDir: string;
  private readonly sequence = ++runsStarted;
  private readonly tempDir: string;
  private readonly stages: StageRecord[] = [];
  /** Every metrics output, named in metrics.json once all are in (metric-names.ts). */
  private readonly emittedMetrics: EmittedMetrics[] = [];
  /** Exported figures, for the report; which metrics each shows is settled with the names. */
  private readonly figures: (Omit<ReportFigure, 'shows'> & {
    stageId: string;
    shows: (output: string, name: string) => boolean;
  })[] = [];
  private readonly models: string[] = [];
  /** `histories/<stage>.json`: training histories, for the web app's overlaid curves. */
  private readonly histories: string[] = [];
  private readonly pending: Promise<unknown>[] = [];
  /** Once the temp folder is renamed into place or removed, the process exiting has nothing to remove. */
  private stopRemovingOnExit: () => void = () => undefined;

  constructor(
    outDir: string,
    private readonly pipeline: ValidatedPipeline,
    private readonly codecs: CodecRegistry,
    private readonly cache: CacheStore,
    private readonly facts: { configFile: string; name?: string; startedAt: Date; sweep?: SweepTrialFacts } & Omit<
      Provenance,
      'nativeKernels'
    >,
  ) {
    const name = timestampedName(facts.name ?? pipeline.name, facts.startedAt);
    this.finalDir = join(outDir, name);
    this.tempDir = join(outDir, `.tmp-${name}-${process.pid}.${this.sequence}`);
  }

  /** What is running now, written to live.json in the temp folder for the web app's live view. */
  private readonly live = new LiveStatus(this);

  /** Records stage results; exports metrics, figures, models and histories as they arrive. */
  onEvent(event: RunEvent): void {
    this.live.onEvent(event);
    if (event.type !== 'stage-end') return;
    this.stages.push({
      id: event.stageId,
      type: event.stageType,
      key: event.key,
      cached: event.cached,
      durationMs: Math.round(event.durationMs),
    });
    const stage = this.pipeline.stages.find((s) => s.id === event.stageId)!;
    // a stage the run did not load (cached and read by nothing that ran) has no values: its files are in its entry
    const entryDir = (port: string) =>
      event.loaded ? Promise.resolve(this.cache.entryDir(event.key)) : checkedEntryDir(this.cache, event.key, port);
    const models = Object.entries(stage.definition.outputs)
      .filter(([, spec]) => spec.kind === 'model')
      .map(([port]) => this.exportModel(stage.id, port, entryDir(port)));
    for (const [port, spec] of Object.entries(stage.definition.outputs)) {
      const value = event.outputs?.[port];
      if (spec.kind === 'model') continue;
      else if (spec.kind === 'table-model') this.exportTableModelCard(stage.id, port, entryDir(port), models[0]);
      else if (spec.contract === TRAINING_HISTORY)
        this.exportHistory(
          stage.id,
          port,
          value ?? entryDir(port).then((dir) => this.codecs.get(spec.kind).load(dir, port)),
        );
      else if (value === undefined) continue;
      else if (spec.kind === 'metrics') this.addMetrics(stage.id, port, value as Record<string, unknown>);
      else if (spec.kind === 'figure') this.exportFigure(stage, port, value as Figure);
    }
  }

  private addMetrics(stageId: string, port: string, values: Record<string, unknown>): void {
    this.emittedMetrics.push({ stageId, port, values });
  }

  /**
   * Trained models go with the run (for `stagegraph predict --model <run>` and for browsers), copied
   * from the cache entry: the live model is disposed when the run ends, maybe mid-save, and a cached
   * one need not be loaded (with TensorFlow.js) at all.
   */
  private exportModel(stageId: string, port: string, entryDir: Promise<string>): ExportedModel {
    const name = `models/${stageId}${port === 'model' ? '' : `-${port}`}`;
    this.models.push(name);
    const copied = entryDir.then((dir) => cp(join(dir, port), join(this.tempDir, name), { recursive: true }));
    this.pending.push(copied);
    return { name, copied };
  }

  /**
   * A table model card (`table-model.json`: the preparation, and a classical model itself) goes into
   * the folder of the stage's network (model.json, weights.bin) once that is copied, or into
   * `models/<stage>/` alone: `stagegraph predict --model <run>` finds the preparation beside the weights.
   */
  private exportTableModelCard(stageId: string, port: string, entryDir: Promise<string>, model?: ExportedModel): void {
    const name = model?.name ?? `models/${stageId}`;
    if (!model) this.models.push(name);
    const folder = join(this.tempDir, name);
    this.pending.push(
      Promise.all([entryDir, model?.copied]).then(async ([dir]) => {
        await mkdir(folder, { recursive: true });
        await cp(join(dir, port, TABLE_MODEL_CARD_FILE), join(folder, TABLE_MODEL_CARD_FILE));
      }),
    );
  }

  private exportHistory(stageId: string, port: string, history: unknown): void {
    const name = `histories/${stageId}${port === 'history' ? '' : `-${port}`}.json`;
    this.histories.push(name);
    this.pending.push(
      Promise.all([history, mkdir(join(this.tempDir, 'histories'), { recursive: true })]).then(([value]) =>
        writeFileAtomic(join(this.tempDir, name), JSON.stringify(value) + '\n'),
      ),
    );
  }

  private exportFigure(stage: ValidatedStage, port: string, figure: Figure): void {
    const base = port === 'figure' ? stage.id : `${stage.id}-${port}`;
    const sources = Object.values(stage.inputs).map((ref) => `${ref.stage}.${ref.port}`);
    this.figures.push({
      name: base,
      stageId: stage.id,
      title: figure.title,
      svg: figure.svg.replace(/^<\?xml[^>]*>/, ''),
      spec: figure.spec,
      tableName: figure.table?.rows.length ? figure.table.name : undefined,
      // the run's metrics this figure shows in full: named by the figure, from an output it was drawn from
      shows: (output, name) => sources.includes(output) && !!figure.shows?.includes(name),
    });
    const folder = join(this.tempDir, 'figures');
    this.pending.push(
      mkdir(folder, { recursive: true }).then(() =>
        Promise.all([
          this.codecs.get('figure').save(figure, folder, base),
          figure.table?.rows.length &&
            writeFileAtomic(
              join(folder, `${base}.csv`),
              csvTable({ columns: [...new Set(figure.table.rows.flatMap(Object.keys))], rows: figure.table.rows }),
            ),
        ]),
      ),
    );
  }

  /**
   * Creates the temp folder, removed if the process exits before the run ends, first removing those
   * that killed runs (kill -9) left behind.
   */
  async begin(): Promise<void> {
    const outDir = dirname(this.tempDir);
    for (const name of await readdir(outDir).catch(() => [] as string[])) {
      const pid = Number(/^\.tmp-.*-(\d+)\.\d+$/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !processAlive(pid))
        await rm(join(outDir, name), { recursive: true, force: true });
    }
    this.stopRemovingOnExit = removeOnExit(this.tempDir);
    await mkdir(this.tempDir, { recursive: true });
  }

  /**
   * Writes run.json and metrics.json, then renames the folder into place. `backend`: the one stages
   * computed on here, if any did; `nativeKernelCalls`: the native kernels they called.
   */
  async commit(
    durationMs: number,
    backend?: ChosenBackend,
    nativeKernelCalls?: Record<string, number>,
  ): Promise<RunResult> {
    await Promise.all(this.pending);
    await this.live.stop();
    await rm(join(this.tempDir, LIVE_FILE), { force: true });
    const order = new Map(this.pipeline.stages.map((s, i) => [s.id, i]));
    this.stages.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const { metrics, sources } = this.namedMetrics(order);
    const figures = [...this.figures]
      .sort((a, b) => order.get(a.stageId)! - order.get(b.stageId)!)
      .map((f) => ({
        ...f,
        shows: [...sources].filter(([, source]) => f.shows(source.output, source.name)).map(([key]) => key),
      }));
    const record: RunRecord = {
      pipeline: this.pipeline.name,
      ...(this.facts.name !== undefined && { name: this.facts.name }),
      configFile: this.facts.configFile,
      configHash: sha256(canonicalJson(this.pipeline.config)),
      config: this.pipeline.config,
      seed: this.pipeline.seed,
      backend: backend?.name ?? NO_BACKEND,
      threads: backend?.threads ?? 0,
      ...(this.facts.git && { git: this.facts.git }),
      versions: this.facts.versions,
      ...(this.facts.machine && { machine: this.facts.machine }),
      ...(backend?.nativeKernels && { nativeKernels: backend.nativeKernels }),
      ...(nativeKernelCalls && { nativeKernelCalls }),
      ...(this.facts.sweep && { sweep: this.facts.sweep }),
      status: 'completed',
      startedAt: this.facts.startedAt.toISOString(),
      durationMs: Math.round(durationMs),
      stages: this.stages,
      metrics: 'metrics.json',
      metricsCsv: 'metrics.csv',
      report: 'report.html',
      figures: figures.flatMap((f) => [`figures/${f.name}.svg`, `figures/${f.name}.png`]),
      tables: figures.filter((f) => f.tableName).map((f) => `figures/${f.name}.csv`),
      models: this.models,
      histories: this.histories,
    };
    await writeFileAtomic(join(this.tempDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    await writeFileAtomic(join(this.tempDir, 'metrics.csv'), metricsCsv(metrics));
    await writeFileAtomic(join(this.tempDir, 'run.json'), JSON.stringify(record, null, 2) + '\n');
    const report = await renderRunReport({
      ...record,
      description: this.pipeline.config.description,
      metrics,
      figures,
      models: await Promise.all(
        this.models.map(async (name) => ({ name, files: (await readdir(join(this.tempDir, name))).sort() })),
      ),
      graphSvg: graphAsSvg(this.pipeline, new Set(this.stages.filter((s) => s.cached).map((s) => s.id))),
    });
    await writeFileAtomic(join(this.tempDir, 'report.html'), report);
    try {
      await rename(this.tempDir, this.finalDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      this.finalDir = `${this.finalDir}-${process.pid}-${this.sequence}`; // another run started in the same millisecond
      await rename(this.tempDir, this.finalDir);
    }
    this.stopRemovingOnExit();
    return { dir: this.finalDir, metrics, stages: this.stages, durationMs: Math.round(durationMs) };
  }

  /** The metrics outputs in graph order (stage, then port), named: the same names however the stages' timings fell. */
  private namedMetrics(order: Map<string, number>) {
    const ports = (stageId: string) => Object.keys(this.pipeline.stages[order.get(stageId)!].definition.outputs);
    const byGraph = (a: EmittedMetrics, b: EmittedMetrics) =>
      order.get(a.stageId)! - order.get(b.stageId)! ||
      ports(a.stageId).indexOf(a.port) - ports(a.stageId).indexOf(b.port);
    return nameMetrics([...this.emittedMetrics].sort(byGraph));
  }

  /** live.json: which stages run, at which epoch; at most once a second, and never after the end. */
  writeLive(status: Pick<LiveRun, 'done' | 'total' | 'running'>): Promise<void> {
    const live: LiveRun = {
      pipeline: this.pipeline.name,
      pid: process.pid,
      startedAt: this.facts.startedAt.toISOString(),
      sweep: this.facts.sweep,
      ...status,
    };
    return writeFileAtomic(join(this.tempDir, LIVE_FILE), JSON.stringify(live) + '\n');
  }

  get stageCount(): number {
    return this.pipeline.stages.length;
  }

  async discard(): Promise<void> {
    await Promise.allSettled(this.pending);
    await this.live.stop();
    await rm(this.tempDir, { recursive: true, force: true });
    this.stopRemovingOnExit();
  }
}

export const LIVE_FILE = 'live.json';

/** run.json's backend when no stage computed in this process (every stage from the cache, or on a queue's workers). */
export const NO_BACKEND = 'none';

/** A running run's progress: stages done, and each running stage's last epoch and loss. */
class LiveStatus {
  private done = 0;
  private readonly running = new Map<string, LiveRun['running'][number]>();
  private lastWrite = 0;
  private writing = Promise.resolve();
  private stopped = false;

  constructor(private readonly folder: RunFolder) {}

  /** No more writes; resolves once the last one is done. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.writing;
  }

  onEvent(event: RunEvent): void {
    if (this.stopped) return;
    if (event.type === 'stage-start') this.running.set(event.stageId, { stage: event.stageId });
    else if (event.type === 'stage-end' || event.type === 'stage-error') {
      this.running.delete(event.stageId);
      if (event.type === 'stage-end') this.done++;
    } else if (
      event.type === 'stage-progress' &&
      event.progress.epoch !== undefined &&
      event.progress.batch === undefined
    ) {
      const { epoch, epochs, loss, valLoss } = event.progress;
      this.running.set(event.stageId, { stage: event.stageId, epoch, epochs, loss, valLoss });
    } else if (event.type !== 'run-start') return;
    const now = Date.now();
    if (now - this.lastWrite < 1000 && event.type !== 'run-start') return;
    this.lastWrite = now;
    const status = { done: this.done, total: this.folder.stageCount, running: [...this.running.values()] };
    // one write at a time; a failed write only costs the live view a tick
    this.writing = this.writing.then(() => this.folder.writeLive(status)).catch(() => undefined);
  }
}
