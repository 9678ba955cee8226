import type { ImageFiles } from '@stagegraph/contracts';
import type { ImageInputShape } from '../image-input.js';
import type { FolderImage } from './list-class-folders.js';
import { DEFAULT_MAX_SIDE } from './read-folder-images.js';
import type { SplitRows } from './stratified-split.js';

const examples = (names: string[]) => names.slice(0, 3).join(', ') + (names.length > 3 ? ', ...' : '');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "120 images in 3 classes: circle 40, square 40, triangle 40". */
export function describeClasses(classes: string[], images: FolderImage[]): string {
  const counts = new Array<number>(classes.length).fill(0);
  for (const image of images) counts[image.label]++;
  return `${plural(images.length, 'image')} in ${classes.length} classes: ${classes.map((name, k) => `${name} ${counts[k]}`).join(', ')}`;
}

/** One line each for files that are not images, files beside the class folders and unreadable images skipped. */
export function describePassedOver(
  listing: { notImages: string[]; outsideClasses: string[] },
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
  const from = size ? 'params.size' : `the size of the first image, ${first}${scaled}`;
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
