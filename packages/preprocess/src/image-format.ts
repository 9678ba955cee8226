const BMP_HEADER_SIZES = [12, 40, 52, 56, 64, 108, 124];

/** The raster formats images are read from (sharp decodes each; BMP goes through bmp-ts), by their first bytes. */
const RASTER_SIGNATURES: { format: string; matches: (b: Uint8Array) => boolean }[] = [
  { format: 'PNG', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { format: 'JPEG', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'GIF', matches: (b) => ascii(b, 0, 4) === 'GIF8' },
  { format: 'WebP', matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  {
    format: 'TIFF',
    matches: (b) =>
      (ascii(b, 0, 2) === 'II' && b[2] === 42 && b[3] === 0) || (ascii(b, 0, 2) === 'MM' && b[2] === 0 && b[3] === 42),
  },
  // 'BM', then the header's size field: the Windows header (40) or its OS/2 (12) and V2-V5 variants
  {
    format: 'BMP',
    matches: (b) => ascii(b, 0, 2) === 'BM' && BMP_HEADER_SIZES.includes(b[14]) && !b[15] && !b[16] && !b[17],
  },
];

export const RASTER_FORMATS = 'a PNG, JPEG, GIF, WebP, TIFF or BMP image';

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/**
 * An image file's raster format by its first bytes, or what it looks like instead ("SVG", "PDF"...).
 * Vector formats are never decoded: an SVG renderer can be kept busy for minutes by one small file.
 */
export function rasterFormat(bytes: Uint8Array): { format: string } | { looksLike: string } {
  const known = RASTER_SIGNATURES.find((s) => s.matches(bytes));
  if (known) return { format: known.format };
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<') && head.includes('<svg')) return { looksLike: 'SVG (vector images are not read)' };
  if (head.startsWith('%pdf')) return { looksLike: 'PDF' };
  if (head.startsWith('<')) return { looksLike: 'XML or HTML' };
  if (ascii(bytes, 0, 2) === 'BM') return { looksLike: 'a BMP with an unknown header (convert it to PNG)' };
  return { looksLike: 'something else' };
}
