import sharp from 'sharp';
import type { Figure } from './figure.js';

export interface GridImage {
  /** height x width x channels values in [0, 1], row-major (MNIST's digits: light ink on dark). */
  pixels: ArrayLike<number>;
  caption: string;
  /** Drawn in red: a wrong prediction, say. */
  highlight?: boolean;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export interface ImageGridOptions {
  title: string;
  /** The images' side, for square ones; else `height` and `width`. */
  size?: number;
  height?: number;
  width?: number;
  /** 1 (grey, the default) or 3 (RGB). */
  channels?: 1 | 3;
  columns?: number;
  cell?: number;
}

/** A caption wider than its cell (long class names) is squeezed into it rather than running into the next one. */
const fitted = (caption: string, room: number) =>
  caption.length * 7 > room ? ` textLength="${room}" lengthAdjust="spacingAndGlyphs"` : '';

/**
 * A grid of small grey or colour images with a caption under each, as SVG (images embedded as PNG
 * data URIs, so the file stands alone) and as PNG. A cell is square; an image keeps its aspect in it.
 */
export async function renderImageGrid(images: GridImage[], options: ImageGridOptions): Promise<Figure> {
  const raw = {
    width: options.width ?? options.size ?? 0,
    height: options.height ?? options.size ?? 0,
    channels: options.channels ?? 1,
  };
  const columns = options.columns ?? Math.min(10, Math.max(1, images.length));
  const cell = options.cell ?? 84;
  const captionHeight = 18;
  const titleHeight = 30;
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (cell + 8) + 8;
  const height = titleHeight + rows * (cell + captionHeight + 8) + 8;
  const cells = await Promise.all(
    images.map(async (image, i) => {
      const bytes = Buffer.from(Array.from(image.pixels, (v) => Math.round(255 * Math.max(0, Math.min(1, v)))));
      const png = await sharp(bytes, { raw }).png().toBuffer();
      const x = 8 + (i % columns) * (cell + 8);
      const y = titleHeight + Math.floor(i / columns) * (cell + captionHeight + 8);
      return (
        `<image x="${x}" y="${y}" width="${cell}" height="${cell}" image-rendering="pixelated" href="data:image/png;base64,${png.toString('base64')}"/>` +
        `<text x="${x + cell / 2}" y="${y + cell + 14}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="12" fill="${image.highlight ? '#c00' : '#222'}"${fitted(image.caption, cell + 6)}>${escapeXml(image.caption)}</text>`
      );
    }),
  );
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${width / 2}" y="20" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>` +
    cells.join('') +
    (images.length === 0
      ? `<text x="${width / 2}" y="${titleHeight + 20}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="12">none</text>`
      : '') +
    `</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { title: options.title, svg, png: new Uint8Array(png) };
}
