import { join, relative, sep } from 'node:path';
import { writeShapeImages } from '@stagegraph/preprocess';

/** The images template's sample folder, images/<class>/: 60 coloured shapes per class. Returns the files, relative. */
export async function writeSampleImages(project: string): Promise<string[]> {
  const files = await writeShapeImages(join(project, 'images'), { perClass: 60, size: 32 });
  return files.map((file) => relative(project, file).split(sep).join('/'));
}
