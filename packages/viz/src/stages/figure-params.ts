import { z } from 'zod';

/** How much larger the PNG is drawn than the SVG: one definition for every figure stage. */
export const figureScale = z.number().min(0.5).max(4).default(2).describe('PNG pixels per SVG pixel');
