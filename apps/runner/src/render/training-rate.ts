import type { StageProgress } from '@stagegraph/pipeline';
import { formatDuration } from './format.js';

/**
 * Samples per second and the time left of a training stage, from its batch progress: the rate since
 * the first batch seen (so loading and building the model do not count), the time left for every
 * epoch asked for (early stopping may end sooner).
 */
export class TrainingRate {
  private first?: { at: number; done: number };
  private batches?: number;
  private batchSize?: number;
  private last?: { at: number; done: number; total: number };

  update(progress: StageProgress, now = Date.now()): void {
    if (progress.batches) this.batches = progress.batches;
    if (progress.batchSize) this.batchSize = progress.batchSize;
    if (!this.batches || progress.epoch === undefined || !progress.epochs) return;
    const done = (progress.epoch - 1) * this.batches + (progress.batch ?? this.batches);
    this.first ??= { at: now, done };
    this.last = { at: now, done, total: progress.epochs * this.batches };
  }

  /** `1,234 samples/s, ETA 12.0s`, once two batches apart have been seen; else ''. */
  describe(now = Date.now()): string {
    if (!this.first || !this.last || this.last.done <= this.first.done) return '';
    const perMs = (this.last.done - this.first.done) / (this.last.at - this.first.at || 1);
    const left = Math.max(0, (this.last.total - this.last.done) / perMs - (now - this.last.at));
    const samples = this.batchSize
      ? `${Math.round(perMs * 1000 * this.batchSize).toLocaleString('en-US')} samples/s, `
      : '';
    return `${samples}ETA ${formatDuration(left)}`;
  }
}
