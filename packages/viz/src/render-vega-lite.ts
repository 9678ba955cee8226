import sharp from 'sharp';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { Figure } from './figure.js';

/** Renders a Vega-Lite spec headless (no browser, no canvas) to SVG, and the SVG to PNG with sharp. */
export async function renderVegaLite(spec: TopLevelSpec, options: { scale?: number } = {}): Promise<Figure> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = await sharp(Buffer.from(svg), { density: 72 * (options.scale ?? 2) })
      .png()
      .toBuffer();
    const title = typeof spec.title === 'string' ? spec.title : '';
    return { title, svg, png: new Uint8Array(png) };
  } finally {
    view.finalize();
  }
}
