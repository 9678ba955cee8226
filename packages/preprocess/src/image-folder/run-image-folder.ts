import { throwIfCancelled, type StageContext } from '@stagegraph/pipeline';
import type { ImageFiles } from '@stagegraph/contracts';
import { rowsToTensors } from './folder-tensors.js';
import {
  describeClasses,
  describeMissingParts,
  describePassedOver,
  describeShape,
  describeSplit,
} from './image-folder-log.js';
import { listImageFolders, type FolderParams } from './list-image-folders.js';
import { readFolderImages } from './read-folder-images.js';
import { splitFolderImages } from './split-folder-images.js';

export interface ImageFolderParams extends FolderParams {
  size?: [number, number];
  channels?: 1 | 3;
  validationFraction: number;
  testFraction: number;
  invalid: 'error' | 'skip';
  maxPixels: number;
  concurrency: number;
}

/** preprocess.image-folder's work: list, read (headers, then pixels), split, and make the tensors. */
export async function runImageFolder(p: ImageFolderParams, ctx: StageContext) {
  const listing = await listImageFolders(p, ctx.workDir, `${ctx.stageId}.params`);
  const read = await readFolderImages(listing.images, {
    ...p,
    checkCancelled: () => throwIfCancelled(ctx.signal, ctx.stageId),
  });
  const images = read.images as typeof listing.images; // the listed images that could be read, in order
  const rows = splitFolderImages(images, listing.classes, listing.folders[0], {
    validationFraction: p.validationFraction,
    testFraction: p.testFraction,
    seed: ctx.seed,
    testFolder: p.test !== undefined,
  });
  ctx.log(describeClasses(listing.classes, images));
  for (const line of describePassedOver(listing, read.skipped)) ctx.log(line);
  ctx.log(describeShape(read, p.size, images[0]?.name));
  ctx.log(describeSplit(rows, ctx.seed, p.test !== undefined));
  const labels = images.map((image) => image.label);
  for (const line of describeMissingParts(rows, labels, listing.classes, p.test !== undefined)) ctx.log(line);
  const rate = read.decodeSeconds > 0 ? Math.round(images.length / read.decodeSeconds) : images.length;
  ctx.log(
    `decoded ${images.length} images in ${read.decodeSeconds.toFixed(2)} s (${rate} images/s, ${p.concurrency} at a time)`,
  );
  const part = (rowsOf: number[]) => rowsToTensors(read.pixels, labels, rowsOf, read.shape, listing.classes.length);
  const [train, validation, test] = [part(rows.train), part(rows.validation), part(rows.test)];
  const testFiles: ImageFiles = { files: rows.test.map((i) => images[i].name), errors: read.skipped };
  return {
    xTrain: train.x,
    yTrain: train.y,
    xValidation: validation.x,
    yValidation: validation.y,
    xTest: test.x,
    yTest: test.y,
    classes: { names: listing.classes, images: 'resized' as const },
    testFiles,
  };
}
