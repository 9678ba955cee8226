import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type Codec } from '@stagegraph/pipeline';
import type { Figure } from './figure.js';

/** A figure as `<name>.svg`, `<name>.png` and its title in `<name>.figure.json`. */
export const figureCodec: Codec<Figure> = {
  kind: 'figure',
  async save(figure, dir, name) {
    const files = [join(dir, `${name}.svg`), join(dir, `${name}.png`), join(dir, `${name}.figure.json`)];
    await writeFileAtomic(files[0], figure.svg);
    await writeFileAtomic(files[1], figure.png);
    await writeFileAtomic(files[2], JSON.stringify({ title: figure.title }));
    return files;
  },
  async load(dir, name) {
    const [svg, png, meta] = await Promise.all([
      readFile(join(dir, `${name}.svg`), 'utf8'),
      readFile(join(dir, `${name}.png`)),
      readFile(join(dir, `${name}.figure.json`), 'utf8'),
    ]);
    return { title: JSON.parse(meta).title, svg, png: new Uint8Array(png) };
  },
};
