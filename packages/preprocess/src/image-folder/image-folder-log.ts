import { quoteData } from '@stagegraph/pipeline';
import type { ImageFiles } from '@stagegraph/contracts';
import type { ImageInputShape } from '../image-input.js';
import type { FolderImage } from './list-class-folders.js';
import { DEFAULT_MAX_SIDE } from './read-folder-images.js';
import type { SplitRows } from './stratified-split.js';

/** A folder or file name as the log shows it: quoted, with its control characters escaped, where it has any (a newline would fake a line). */
const shown = (name: string) => (/[\u0000-\u001f\u007f-\u009f]/.test(name) ? quoteData(name, 200) : name);
const examples = (names: string[]) => names.slice(0, 3).map(shown).join(', ') + (names.length > 3 ? ', ...' : '');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "120 images in 3 classes: circle 40, square 40, triangle 40". */
export function describeClasses(classes: string[], images: FolderImage[]): string {
  const counts = new Array<number>(classes.length).fill(0);
  for (const image of images) counts[image.label]++;
  return `${plural(images.length, 'image')} in ${classes.length} classes: ${classes.map((name, k) => `${shown(name)} ${counts[k]}`).join(', ')}`;
}

/** One line each for files that are not images, files beside the class folders, links not followed and unreadable images skipped. */
export function describePassedOver(
  listing: { notImages: string[]; outsideClasses: string[]; linkedFolders: string[] },
  skipped: ImageFiles['errors'],
): string[] {
  const lines: string[] = [];
  if (listing.notImages.length)
    lines.push(
      `skipped ${plural(listing.notImages.length, 'file')} that ${listing.notImages.length === 1 ? 'is' : 'are'} not an image (${examples(listing.notImages)})`,
    );
  if (listing.outsideClasses.length)
    lines.push(
      `ignored ${plural(listing.outsideClasses.length, 'entry', 'entries')} beside the class folders, in no class (${examples(listing.outsideClasses)})`,
    );
  if (listing.linkedFolders.length)
    lines.push(
      `skipped ${plural(listing.linkedFolders.length, 'link')} to a folder inside a class folder, not followed (${examples(listing.linkedFolders)})`,
    );
  if (skipped.length)
    lines.push(
      `skipped ${plural(skipped.length, 'unreadable image')} (invalid: "skip"); the first: ${skipped[0].error}`,
    );
  return lines;
}

/** "images 48 x 48 x 3 (the size of circle/a.png; 3 channels: some have colour), 12 of 120 resized". */
export function describeShape(
  read: { shape: ImageInputShape; resized: number; images: unknown[]; scaledFrom?: [number, number] },
  size: [number, number] | undefined,
  first: string | undefined,
): string {
  const { height, width, channels } = read.shape;
  const scaled = read.scaledFrom
    ? ` (${read.scaledFrom.join(' x ')}), scaled down to ${DEFAULT_MAX_SIDE} px at most; set params.size to choose`
    : '';
  const from = size ? 'params.size' : `the size of the first image, ${first && shown(first)}${scaled}`;
  const resized = read.resized
    ? `; ${read.resized} of ${read.images.length} have another size and were resized to it`
    : '';
  return `images ${height} x ${width} x ${channels} (${from})${resized}`;
}

/** "split (seed 42, stratified by class): 84 train, 12 validation, 24 test". */
export function describeSplit(rows: SplitRows, seed: number, testFolder: boolean): string {
  const test = testFolder ? `${rows.test.length} test (the test folder)` : `${rows.test.length} test`;
  return `split (seed ${seed}, stratified by class): ${rows.train.length} train, ${rows.validation.length} validation, ${test}`;
}

/** One line per part (validation, test) that some classes got no image of: too few images (3 give each part one). */
export function describeMissingParts(
  rows: SplitRows,
  labels: number[],
  classes: string[],
  testFolder: boolean,
): string[] {
  const parts: [string, number[]][] = testFolder
    ? [['validation', rows.validation]]
    : [
        ['validation', rows.validation],
        ['test', rows.test],
      ];
  return parts.flatMap(([part, members]) => {
    const present = new Set(members.map((i) => labels[i]));
    const missing = classes.filter((_, k) => !present.has(k));
    return missing.length
      ? [
          `warning: no ${part} image of ${plural(missing.length, 'class', 'classes')} (${examples(missing)}): too few images (a class needs 3 for one in each part)`,
        ]
      : [];
  });
}
