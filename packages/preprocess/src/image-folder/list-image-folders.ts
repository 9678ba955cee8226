import { DataError, readDataFile, sha256 } from '@stagegraph/pipeline';
import { resolveDataPath } from '../resolve-data-path.js';
import { listClassFolders, type ClassFolderListing, type FolderImage } from './list-class-folders.js';
import { mapConcurrent } from './map-concurrent.js';

/** Where the images are: one folder to split, or a training folder and (optionally) a test folder of its own. */
export interface FolderParams {
  dir?: string;
  train?: string;
  test?: string;
}

/** An image of the listing; `heldOut` when it comes from the test folder (then it is a test image, whatever the split). */
export type ListedImage = FolderImage & { heldOut?: boolean };

export interface ImageFolderListing extends Omit<ClassFolderListing, 'images'> {
  images: ListedImage[];
  /** The folders as the config names them, for messages. */
  folders: string[];
}

/**
 * Lists the images the params name: `dir`, or `train` and `test` (whose classes must be among
 * train's: a label means the same class in both). `where` names the params in messages (data.params).
 */
export async function listImageFolders(p: FolderParams, workDir: string, where: string): Promise<ImageFolderListing> {
  if (p.dir !== undefined && (p.train !== undefined || p.test !== undefined))
    throw new DataError(
      `${where}: expected dir, or train (with test or not), got dir and ${p.train ? 'train' : 'test'}`,
    );
  if (p.dir === undefined && p.train === undefined)
    throw new DataError(`${where}.dir: expected a folder of class subfolders (or train and test), got none`);
  if (p.dir !== undefined) {
    const listing = await listClassFolders(resolveDataPath(p.dir, workDir), p.dir);
    return { ...listing, folders: [p.dir] };
  }
  const train = await listClassFolders(resolveDataPath(p.train!, workDir), p.train!);
  if (p.test === undefined) return { ...train, folders: [p.train!] };
  const test = await listClassFolders(resolveDataPath(p.test, workDir), p.test, 1);
  const unknown = test.classes.find((name) => !train.classes.includes(name));
  if (unknown !== undefined)
    throw new DataError(
      `${p.test}/${unknown}: expected a class of ${p.train} (${train.classes.join(', ')}), got a class ${p.train} does not have`,
    );
  const heldOut = test.images.map((image) => ({
    ...image,
    label: train.classes.indexOf(test.classes[image.label]),
    heldOut: true,
  }));
  return {
    classes: train.classes,
    images: [...train.images, ...heldOut],
    notImages: [...train.notImages, ...test.notImages],
    outsideClasses: [...train.outsideClasses, ...test.outsideClasses],
    linkedFolders: [...train.linkedFolders, ...test.linkedFolders],
    folders: [p.train!, p.test],
  };
}

/** What a run of the stage reads: every image's name, class and content hash (so editing one image recomputes). */
export async function imageFolderFingerprint(p: FolderParams, workDir: string, where: string): Promise<string> {
  const listing = await listImageFolders(p, workDir, where);
  const hashes = await mapConcurrent(listing.images, 8, async (image) => {
    const content = sha256(await readDataFile(image.path, 'a readable image file', image.name));
    return `${image.heldOut ? 'test:' : ''}${image.name}:${image.label}=${content}`;
  });
  return sha256([listing.classes.join('/'), ...hashes].join('\n'));
}
