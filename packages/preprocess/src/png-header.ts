const COLOUR_TYPES = new Set([2, 3, 6]); // RGB, palette, RGBA (0 and 4 are grey, with or without alpha)

/**
 * A PNG's size and colour from its IHDR chunk (the first one, right after the 8-byte signature), read
 * here rather than by sharp: libvips wants more than the header before it says the size, and a file
 * that is a header and nothing else (a decompression bomb needs no pixels to claim 30000 x 30000)
 * must be refused by its size, not as unreadable. Undefined when the IHDR is not where it must be.
 */
export function readPngHeader(bytes: Uint8Array): { width: number; height: number; colour: boolean } | undefined {
  if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), colour: COLOUR_TYPES.has(bytes[25]) };
}
