import { escapeControlCharacters, type RunEvent, type StageProgress } from '@stagegraph/pipeline';
import type { EventRenderer } from './event-renderer.js';
import { formatDuration, formatNumber, progressBar } from './format.js';
import { TrainingRate } from './training-rate.js';

interface StageLine {
  id: string;
  status: 'waiting' | 'running' | 'done' | 'cached' | 'failed';
  startedAt?: number;
  durationMs?: number;
  progress?: StageProgress;
  rate?: TrainingRate;
}

/**
 * A terminal: one live line per stage with a progress bar per epoch and batch while training,
 * redrawn in place at most ten times a second. Log messages scroll above the block.
 */
export class TtyRenderer implements EventRenderer {
  private readonly lines = new Map<string, StageLine>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        for (const stage of event.stages) this.lines.set(stage.id, { id: stage.id, status: 'waiting' });
        this.timer = setInterval(() => this.draw(), 100);
        break;
      case 'stage-start':
        Object.assign(this.lines.get(event.stageId)!, { status: 'running', startedAt: Date.now(), rate: new TrainingRate() });
        break;
      case 'stage-progress':
        this.lines.get(event.stageId)!.progress = { ...this.lines.get(event.stageId)!.progress, ...event.progress };
        this.lines.get(event.stageId)!.rate?.update(event.progress);
        break;
      case 'stage-log':
        this.above(`${event.stageId}: ${event.level === 'warn' ? 'warning: ' : ''}${event.message}`);
        break;
      case 'stage-end':
        Object.assign(this.lines.get(event.stageId)!, { status: event.cached ? 'cached' : 'done', durationMs: event.durationMs });
        break;
      case 'stage-error':
        this.lines.get(event.stageId)!.status = 'failed';
        this.above(`${event.stageId}: failed: ${event.message}`);
        break;
      case 'run-end':
        break;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.draw();
  }

  private above(text: string): void {
    this.erase();
    this.write(`${escapeControlCharacters(text)}\n`); // stage messages quote data
    this.draw();
  }

  private erase(): void {
    if (this.drawn > 0) this.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.erase();
    const width = Math.max(...[...this.lines.keys()].map((id) => id.length));
    const text = [...this.lines.values()].map((line) => `${line.id.padEnd(width)}  ${this.describe(line)}`);
    this.write(text.join('\n') + '\n');
    this.drawn = text.length;
  }

  private describe(line: StageLine): string {
    switch (line.status) {
      case 'waiting':
        return 'waiting';
      case 'cached':
        return 'cached';
      case 'failed':
        return 'FAILED';
      case 'done':
        return `done ${formatDuration(line.durationMs ?? 0)}`;
      case 'running': {
        const p = line.progress;
        const elapsed = formatDuration(Date.now() - (line.startedAt ?? Date.now()));
        if (!p?.epoch) return `running ${elapsed}${p?.message ? ` ${p.message}` : ''}`;
        const epochs = p.epochs ?? p.epoch;
        const batch = p.batch && p.batches ? ` ${progressBar(p.batch / p.batches, 12)} batch ${p.batch}/${p.batches}` : '';
        const val = p.valLoss !== undefined ? ` val_loss ${formatNumber(p.valLoss)}` : '';
        const rate = line.rate?.describe();
        return `${progressBar(p.epoch / epochs)} epoch ${p.epoch}/${epochs}${batch} loss ${formatNumber(p.loss)}${val} ${elapsed}${rate ? ` (${rate})` : ''}`;
      }
    }
  }
}
