/** 1234 ms -> "1.2s", 61000 -> "1m01s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60000);
  return `${minutes}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
}

/** Numbers with four significant digits, small or large ones in exponent form. */
export function formatNumber(value: unknown): string {
  if (typeof value !== 'number') return JSON.stringify(value);
  if (Number.isInteger(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(3);
  return value.toPrecision(4);
}

/**
 * An epoch's scores after its loss: val_loss, then its metrics (acc, val_acc: what a training that
 * monitors val_acc chooses its epoch by); `validationOnly` keeps the val_ ones (the live line is short).
 */
export function epochScores(p: { valLoss?: number; metrics?: Record<string, number> }, validationOnly = false): string {
  const metrics = Object.entries(p.metrics ?? {}).filter(([name]) => !validationOnly || name.startsWith('val_'));
  const scores: [string, number | undefined][] = [['val_loss', p.valLoss], ...metrics];
  return scores
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name} ${formatNumber(value)}`)
    .join('');
}

export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
