import { DataError } from '@stagegraph/pipeline';
import type { ListedImage } from './list-image-folders.js';
import { stratifiedSplit, type SplitRows } from './stratified-split.js';

export interface SplitOptions {
  validationFraction: number;
  testFraction: number;
  seed: number;
  /** The test rows come from a test folder of their own. */
  testFolder: boolean;
}

/**
 * Train, validation and test rows of the images read. With a test folder, its images are the test
 * rows (in folder order) and the rest is split into train and validation only; otherwise all of
 * them are split three ways. Refuses a class left without a training image (every one skipped as unreadable).
 */
export function splitFolderImages(
  images: ListedImage[],
  classes: string[],
  folder: string,
  options: SplitOptions,
): SplitRows {
  const own = images.flatMap((image, i) => (image.heldOut ? [] : [i]));
  const counts = new Array<number>(classes.length).fill(0);
  for (const i of own) counts[images[i].label]++;
  const empty = counts.findIndex((n) => n === 0);
  if (empty >= 0)
    throw new DataError(`${folder}/${classes[empty]}: expected readable images, got none (all skipped as unreadable)`);
  const rows = stratifiedSplit(
    own.map((i) => images[i].label),
    classes.length,
    { ...options, testFraction: options.testFolder ? 0 : options.testFraction },
  );
  const toImages = (part: number[]) => part.map((k) => own[k]);
  const heldOut = images.flatMap((image, i) => (image.heldOut ? [i] : []));
  return {
    train: toImages(rows.train),
    validation: toImages(rows.validation),
    test: options.testFolder ? heldOut : toImages(rows.test),
  };
}
