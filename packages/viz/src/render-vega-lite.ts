import sharp from 'sharp';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { Figure, FigureTable } from './figure.js';

/** The `name` of a layer that only matters in a browser (a hover rule per point): left out of the SVG and PNG. */
export const INTERACTIVE_ONLY = 'interactive-only';

const withoutInteractiveLayers = (spec: TopLevelSpec): TopLevelSpec =>
  'layer' in spec
    ? ({
        ...spec,
        layer: spec.layer.filter((layer) => (layer as { name?: string }).name !== INTERACTIVE_ONLY),
      } as TopLevelSpec)
    : spec;

/**
 * Renders a Vega-Lite spec headless (no browser, no canvas) to SVG, and the SVG to PNG with sharp.
 * The figure keeps the spec (reports draw it again, interactive) and its table: `table` when given,
 * else the spec's inline rows.
 */
export async function renderVegaLite(
  spec: TopLevelSpec,
  options: { scale?: number; table?: FigureTable } = {},
): Promise<Figure> {
  // Vega marks the rows it reads (a symbol per row): it draws a copy, so the figure keeps plain rows
  const view = new View(parse(compile(structuredClone(withoutInteractiveLayers(spec))).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = await sharp(Buffer.from(svg), { density: 72 * (options.scale ?? 2) })
      .png()
      .toBuffer();
    const title = typeof spec.title === 'string' ? spec.title : '';
    const inline = (spec as { data?: { values?: unknown } }).data?.values;
    const table =
      options.table ?? (Array.isArray(inline) ? { name: 'data', rows: inline as FigureTable['rows'] } : undefined);
    return {
      title,
      svg,
      png: new Uint8Array(png),
      spec: spec as unknown as Record<string, unknown>,
      ...(table && { table }),
    };
  } finally {
    view.finalize();
  }
}

/** Vega-Lite compiled to Vega, so a page can draw it with Vega alone (no Vega-Lite in the browser). */
export const vegaLiteToVega = (spec: Record<string, unknown>): Record<string, unknown> =>
  compile(spec as unknown as TopLevelSpec).spec as unknown as Record<string, unknown>;
