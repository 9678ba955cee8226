import { stripVTControlCharacters } from 'node:util';
import { createLogUpdate } from 'log-update';
import { escapeControlCharacters, type RunEvent, type StageProgress } from '@stagegraph/pipeline';
import type { EventRenderer } from './event-renderer.js';
import { epochScores, formatDuration, formatNumber, progressBar } from './format.js';
import type { Colors, TerminalStream } from './terminal.js';
import { TrainingRate } from './training-rate.js';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

interface StageLine {
  id: string;
  status: 'waiting' | 'running' | 'done' | 'cached' | 'failed';
  startedAt?: number;
  durationMs?: number;
  progress?: StageProgress;
  rate?: TrainingRate;
}

/**
 * A terminal: one live line per stage, stages that run at once side by side, with elapsed time and,
 * while training, epoch x/N with a bar, loss, val_loss, samples/s and an ETA; redrawn in place at
 * most ten times a second. Log messages scroll above the block. log-update draws the block: it
 * wraps lines to the terminal's width and keeps to its height, so a redraw erases all of the last.
 */
export class TtyRenderer implements EventRenderer {
  private readonly lines = new Map<string, StageLine>();
  private readonly frame: ReturnType<typeof createLogUpdate>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stream: TerminalStream,
    private readonly colors: Colors,
  ) {
    // showCursor: log-update would hide it through cli-cursor, whose signal-exit handler re-sends
    // SIGINT and kills the process before the run's own Ctrl-C handler has cancelled and cleaned up
    this.frame = createLogUpdate(stream as NodeJS.WriteStream, { showCursor: true });
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const stage of event.stages) this.lines.set(stage.id, { id: stage.id, status: 'waiting' });
        this.stream.write(HIDE_CURSOR); // shown again by close(), which the run calls however it ends
        // unref'd: redrawing must not keep a wedged run alive (runPipeline says which stage never finished)
        this.timer = setInterval(() => this.draw(), 100).unref();
        break;
      case 'stage-start':
        Object.assign(this.lines.get(event.stageId)!, {
          status: 'running',
          startedAt: Date.now(),
          rate: new TrainingRate(),
        });
        break;
      case 'stage-progress':
        this.lines.get(event.stageId)!.progress = { ...this.lines.get(event.stageId)!.progress, ...event.progress };
        this.lines.get(event.stageId)!.rate?.update(event.progress);
        break;
      case 'stage-log':
        this.above(
          `${event.stageId}: ${event.level === 'warn' ? this.colors.yellow('warning: ') : ''}${escapeControlCharacters(event.message)}`,
        );
        break;
      case 'stage-end':
        Object.assign(this.lines.get(event.stageId)!, {
          status: event.cached ? 'cached' : 'done',
          durationMs: event.durationMs,
        });
        break;
      case 'stage-error':
        this.lines.get(event.stageId)!.status = 'failed';
        this.above(`${event.stageId}: ${this.colors.red('failed:')} ${escapeControlCharacters(event.message)}`); // messages quote data
        break;
      case 'run-end':
        break;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.draw();
    this.frame.done();
    this.stream.write(SHOW_CURSOR);
  }

  private above(text: string): void {
    this.frame.clear();
    this.stream.write(`${text}\n`);
    this.draw();
  }

  private draw(): void {
    const width = Math.max(...[...this.lines.keys()].map((id) => id.length));
    const room = (this.stream.columns ?? 80) - width - 3; // what a stage's status may take without wrapping
    this.frame(
      [...this.lines.values()]
        .map((line) => {
          const full = this.describe(line, false);
          return `${this.colors.bold(line.id.padEnd(width))}  ${stripVTControlCharacters(full).length > room ? this.describe(line, true) : full}`;
        })
        .join('\n'),
    );
  }

  /** A stage's status; `compact` (for a narrow terminal) drops the batch bar and halves the epoch bar. */
  private describe(line: StageLine, compact: boolean): string {
    const c = this.colors;
    switch (line.status) {
      case 'waiting':
        return c.dim('waiting');
      case 'cached':
        return c.dim('cached');
      case 'failed':
        return c.red('FAILED');
      case 'done':
        return `${c.green('done')} ${formatDuration(line.durationMs ?? 0)}`;
      case 'running': {
        const p = line.progress;
        const elapsed = formatDuration(Date.now() - (line.startedAt ?? Date.now()));
        if (!p?.epoch)
          return `${c.cyan('running')} ${elapsed}${p?.message ? ` ${escapeControlCharacters(p.message)}` : ''}`;
        const epochs = p.epochs ?? p.epoch;
        const batch =
          p.batch && p.batches
            ? `${compact ? '' : ` ${c.cyan(progressBar(p.batch / p.batches, 12))}`} batch ${p.batch}/${p.batches}`
            : '';
        const val = epochScores(p, true);
        const rate = line.rate?.describe();
        const done = p.batch && p.batches ? p.epoch - 1 + p.batch / p.batches : p.epoch; // epochs done, in part
        return `${c.cyan(progressBar(done / epochs, compact ? 10 : 20))} epoch ${p.epoch}/${epochs}${batch} loss ${formatNumber(p.loss)}${val} ${elapsed}${rate ? c.dim(` (${rate})`) : ''}`;
      }
    }
  }
}
