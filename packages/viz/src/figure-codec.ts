import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type Codec } from '@stagegraph/pipeline';
import type { Figure } from './figure.js';

const readIfThere = (file: string) =>
  readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? undefined : Promise.reject(error),
  );

/**
 * A figure as `<name>.svg`, `<name>.png`, its title, table and `shows` in `<name>.figure.json`, and the
 * Vega-Lite spec it came from in `<name>.vl.json` (opens in the Vega editor). Image grids have no spec.
 */
export const figureCodec: Codec<Figure> = {
  kind: 'figure',
  async save(figure, dir, name) {
    const files = [join(dir, `${name}.svg`), join(dir, `${name}.png`), join(dir, `${name}.figure.json`)];
    await writeFileAtomic(files[0], figure.svg);
    await writeFileAtomic(files[1], figure.png);
    await writeFileAtomic(
      files[2],
      JSON.stringify({
        title: figure.title,
        ...(figure.table && { table: figure.table }),
        ...(figure.shows && { shows: figure.shows }),
      }),
    );
    if (figure.spec) {
      files.push(join(dir, `${name}.vl.json`));
      await writeFileAtomic(files[3], JSON.stringify(figure.spec));
    }
    return files;
  },
  async load(dir, name) {
    const [svg, png, meta, spec] = await Promise.all([
      readFile(join(dir, `${name}.svg`), 'utf8'),
      readFile(join(dir, `${name}.png`)),
      readFile(join(dir, `${name}.figure.json`), 'utf8'),
      readIfThere(join(dir, `${name}.vl.json`)),
    ]);
    const { title, table, shows } = JSON.parse(meta) as Pick<Figure, 'title' | 'table' | 'shows'>;
    return {
      title,
      svg,
      png: new Uint8Array(png),
      ...(table && { table }),
      ...(shows && { shows }),
      ...(spec && { spec: JSON.parse(spec) }),
    };
  },
};
