import type { FileClassification } from '@stagegraph/contracts';
import { escapeControlCharacters } from '@stagegraph/pipeline';

/**
 * `stagegraph predict`'s table for an image model: each file, its class by name and its three
 * likeliest classes with their probabilities ("7 0.97, 1 0.02, 9 0.01" for a digit model).
 * Names and files are printed with their control characters escaped (a folder name is data).
 */
export function imagePredictionsTable(predictions: FileClassification[]): string {
  if (!predictions.length) return '';
  const rows = predictions.map((p) => ({
    file: escapeControlCharacters(p.file),
    class: escapeControlCharacters(p.class),
    top: p.top.map((t) => `${escapeControlCharacters(t.class)} ${t.probability.toFixed(2)}`).join(', '),
  }));
  const fileWidth = Math.max(4, ...rows.map((r) => r.file.length));
  const classWidth = Math.max(5, ...rows.map((r) => r.class.length));
  const line = (file: string, name: string, top: string) =>
    `${file.padEnd(fileWidth)}  ${name.padEnd(classWidth)}  ${top}\n`;
  return (
    line('file', 'class', `top ${predictions[0].top.length} (class probability)`) +
    rows.map((r) => line(r.file, r.class, r.top)).join('')
  );
}
