import { escapeControlCharacters, type RunEvent } from '@stagegraph/pipeline';
import type { EventRenderer } from './event-renderer.js';
import { epochScores, formatDuration, formatNumber } from './format.js';
import type { Colors } from './terminal.js';
import { TrainingRate } from './training-rate.js';

// stage messages quote data: a data file must not drive the terminal
const esc = escapeControlCharacters;

/** Plain lines for logs and pipes: stage start and end, messages, and one line per epoch. */
export class LineRenderer implements EventRenderer {
  private readonly rates = new Map<string, TrainingRate>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly colors: Colors,
  ) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.write(
          `run ${event.pipeline}: ${event.stages.length} stages, ${event.stages.filter((s) => s.cached).length} cached\n`,
        );
        break;
      case 'stage-start':
        if (!event.cached) this.write(`${event.stageId}: started (${event.stageType})\n`);
        break;
      case 'stage-progress': {
        const p = event.progress;
        if (!this.rates.has(event.stageId)) this.rates.set(event.stageId, new TrainingRate());
        const rate = this.rates.get(event.stageId)!;
        rate.update(p);
        if (p.batch === undefined && p.epoch !== undefined) {
          const val = epochScores(p);
          const speed = rate.describe();
          this.write(
            `${event.stageId}: epoch ${p.epoch}/${p.epochs ?? '?'} loss ${formatNumber(p.loss)}${val}${speed ? ` (${speed})` : ''}\n`,
          );
        } else if (p.message) this.write(`${event.stageId}: ${esc(p.message)}\n`);
        break;
      }
      case 'stage-log':
        this.write(
          `${event.stageId}: ${event.level === 'warn' ? this.colors.yellow('warning: ') : ''}${esc(event.message)}\n`,
        );
        break;
      case 'stage-end':
        this.write(
          `${event.stageId}: ${event.cached ? this.colors.dim('cached') : `${this.colors.green('done')} in ${formatDuration(event.durationMs)}`}\n`,
        );
        break;
      case 'stage-error':
        this.write(`${event.stageId}: ${this.colors.red('failed:')} ${esc(event.message)}\n`);
        break;
      case 'run-end':
        break;
    }
  }

  close(): void {}
}
