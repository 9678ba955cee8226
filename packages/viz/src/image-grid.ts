import sharp from 'sharp';
import type { Figure } from './figure.js';

export interface GridImage {
  /** height x width values in [0, 1], light ink on dark (MNIST's convention). */
  pixels: ArrayLike<number>;
  caption: string;
  /** Drawn in red: a wrong prediction, say. */
  highlight?: boolean;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/**
 * A grid of small greyscale images with a caption under each, as SVG (images embedded as PNG data
 * URIs, so the file stands alone) and as PNG.
 */
export async function renderImageGrid(
  images: GridImage[],
  options: { title: string; size: number; columns?: number; cell?: number },
): Promise<Figure> {
  const columns = options.columns ?? Math.min(10, Math.max(1, images.length));
  const cell = options.cell ?? 84;
  const captionHeight = 18;
  const titleHeight = 30;
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (cell + 8) + 8;
  const height = titleHeight + rows * (cell + captionHeight + 8) + 8;
  const cells = await Promise.all(
    images.map(async (image, i) => {
      const raw = Buffer.from(Array.from(image.pixels, (v) => Math.round(255 * Math.max(0, Math.min(1, v)))));
      const png = await sharp(raw, { raw: { width: options.size, height: options.size, channels: 1 } })
        .png()
        .toBuffer();
      const x = 8 + (i % columns) * (cell + 8);
      const y = titleHeight + Math.floor(i / columns) * (cell + captionHeight + 8);
      return (
        `<image x="${x}" y="${y}" width="${cell}" height="${cell}" image-rendering="pixelated" href="data:image/png;base64,${png.toString('base64')}"/>` +
        `<text x="${x + cell / 2}" y="${y + cell + 14}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="12" fill="${image.highlight ? '#c00' : '#222'}">${escapeXml(image.caption)}</text>`
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
