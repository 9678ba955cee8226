import sharp from 'sharp';

/** A plain image of one colour (`#rrggbb`) in the given format: what the colour run's model classifies by its mean colour. */
export function colourImage(
  colour: string,
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' = 'png',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}
