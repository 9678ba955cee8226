import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@stagegraph/pipeline';
import { rasterFormat } from '../image-format.js';

/** The file names taken as images; a file with another name is an image only if its first bytes say so. */
export const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|tiff?|bmp)$/i;
const EXTENSIONS_SAID = '.png, .jpg, .jpeg, .webp, .gif, .tif, .tiff or .bmp';
/** What macOS' zip puts beside a zipped folder's contents: resource forks, never a class. */
const MACOS_ZIP_FOLDER = '__MACOSX';

/** One image file: where it is, how it is named in messages (the config's folder + its path inside), its class. */
export interface FolderImage {
  path: string;
  name: string;
  label: number;
}

/** A folder of class subfolders, listed: class names (sorted), image files (by class, then name), what was passed over. */
export interface ClassFolderListing {
  classes: string[];
  images: FolderImage[];
  /** Files in the class folders that are not images (by name and first bytes): skipped, counted in the log. */
  notImages: string[];
  /** Files beside the class folders, in no class (and a zip's __MACOSX folder). */
  outsideClasses: string[];
  /** Links to folders inside a class folder: not followed (as Keras' default), since one may loop or lead elsewhere. */
  linkedFolders: string[];
}

/**
 * Lists `dir/<class>/<image>` (images in nested folders of a class count for it, as Keras reads them).
 * `name` is the folder as the config names it, for messages. Refuses, one line each: no such folder,
 * an empty folder, fewer than `minClasses` class folders, a class folder without images.
 */
export async function listClassFolders(dir: string, given: string, minClasses = 2): Promise<ClassFolderListing> {
  const name = given.length > 1 ? given.replace(/(?<=.)[\\/]+$/, '') : given; // "shapes/" names files shapes/a.png
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new DataError(`${name}: expected a folder of class subfolders, got ${info ? 'a file' : 'nothing there'}`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const classes = (
    await Promise.all(entries.map(async (e) => ((await isFolder(join(dir, e.name), e)) ? e.name : undefined)))
  )
    .filter((c): c is string => c !== undefined && c !== MACOS_ZIP_FOLDER)
    .sort();
  const outsideClasses = entries.filter((e) => !classes.includes(e.name)).map((e) => `${name}/${e.name}`);
  if (classes.length === 0)
    throw new DataError(
      `${name}: expected one subfolder of images per class, got ${outsideClasses.length ? `${outsideClasses.length} files and no subfolders` : 'an empty folder'}`,
    );
  if (classes.length < minClasses)
    throw new DataError(`${name}: expected at least ${minClasses} class subfolders, got 1 (${classes[0]})`);
  const listing: ClassFolderListing = { classes, images: [], notImages: [], outsideClasses, linkedFolders: [] };
  for (const [label, className] of classes.entries()) {
    const found = await listImages(join(dir, className), `${name}/${className}`);
    if (found.images.length === 0)
      throw new DataError(
        `${name}/${className}: expected image files (${EXTENSIONS_SAID}), got none${found.notImages.length ? ` (${found.notImages.length} other ${found.notImages.length === 1 ? 'file' : 'files'})` : ''}`,
      );
    listing.images.push(...found.images.map((image) => ({ ...image, label })));
    listing.notImages.push(...found.notImages);
    listing.linkedFolders.push(...found.linkedFolders);
  }
  return listing;
}

async function isFolder(path: string, entry: { isDirectory(): boolean; isSymbolicLink(): boolean }) {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/**
 * The images under one class folder, in nested folders too, sorted by name; other files counted apart.
 * A class folder may itself be a link (isFolder); links to folders inside it are not followed.
 */
/** One class folder's listing, before its images get the class's label. */
interface ClassImages {
  images: Omit<FolderImage, 'label'>[];
  notImages: string[];
  linkedFolders: string[];
}

async function listImages(dir: string, name: string): Promise<ClassImages> {
  const found: ClassImages = { images: [], notImages: [], linkedFolders: [] };
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const [path, shown] = [join(dir, entry.name), `${name}/${entry.name}`];
    if (entry.name.startsWith('.')) found.notImages.push(shown);
    else if (entry.isDirectory()) {
      const nested = await listImages(path, shown);
      found.images.push(...nested.images);
      found.notImages.push(...nested.notImages);
      found.linkedFolders.push(...nested.linkedFolders);
    } else if (await isFolder(path, entry)) found.linkedFolders.push(shown);
    else if (IMAGE_EXTENSIONS.test(entry.name) || (await startsLikeAnImage(path)))
      found.images.push({ path, name: shown });
    else found.notImages.push(shown);
  }
  return found;
}

/** A file without an image's name can still be one (a camera's export without extension): its first bytes decide. */
async function startsLikeAnImage(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = new Uint8Array(32);
    const { bytesRead } = await handle.read(head, 0, 32, 0);
    return 'format' in rasterFormat(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
